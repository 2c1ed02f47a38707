import type { SpeedQuotaPatch, ThrottleQuotaColumns } from '../limit-columns.js';
import type {
  ResetSchedule,
  RestrictionReason,
  SubscriberStatus,
} from '../../domain/vocabulary.js';

/**
 * A subscriber as its policy sees it: its quota columns and its usage in its period (bytes of
 * peers that left it during the period, plus each peer's lifetime − base), in both directions.
 */
export interface SubscriberPolicyRow extends ThrottleQuotaColumns {
  readonly id: number;
  readonly name: string;
  readonly status: SubscriberStatus;
  readonly restriction_reason: RestrictionReason | null;
  readonly traffic_limit: bigint | null;
  readonly expiry_date: Date | null;
  readonly traffic_warn_threshold: number;
  readonly reset_schedule: ResetSchedule;
  readonly reset_anchor: number | null;
  readonly on_hold_days: number | null;
  readonly activated_at: Date | null;
  readonly period_started_at: Date;
  readonly traffic_warned: boolean;
  readonly expiry_warned_for: Date | null;
  readonly day_started_at: Date | null;
  readonly download_warned: boolean;
  readonly upload_warned: boolean;
  readonly daily_warned: boolean;
  readonly created_at: Date;
  /** rx: bytes the node received from its peers (the subscriber's upload). */
  readonly usage_rx: bigint;
  /** tx: bytes the node sent to its peers (the subscriber's download). */
  readonly usage_tx: bigint;
  /** rx + tx of its peers since day_started_at (peers that left during the day included). */
  readonly day_usage: bigint;
  /**
   * The earliest handshake of any of its peers since it was created (null: none yet), for a
   * subscriber on hold; always null for the others (not read).
   */
  readonly first_handshake_at: Date | null;
}

/** What its policy changes on a subscriber (written when it differs). */
export interface SubscriberPolicyChange {
  readonly id: number;
  readonly status: SubscriberStatus;
  readonly restriction_reason: RestrictionReason | null;
  /** Set when restricted now, null when restored, undefined = unchanged. */
  readonly restricted_at: Date | null | undefined;
  readonly traffic_warned: boolean;
  readonly expiry_warned_for: Date | null;
  readonly period_started_at: Date;
  readonly expiry_date: Date | null;
  readonly activated_at: Date | null;
  /** The period starts again: carried bytes zeroed, each peer's base := its lifetime. */
  readonly reset_usage: boolean;
  /** Set when throttled now, null when back at full speed, undefined = unchanged. */
  readonly throttled_at: Date | null | undefined;
  readonly day_started_at: Date | null;
  /** The day starts again: day_carried zeroed, each peer's day base := its lifetime. */
  readonly reset_day: boolean;
  readonly download_warned: boolean;
  readonly upload_warned: boolean;
  readonly daily_warned: boolean;
}

/** What the API changes on subscribers through the quota path. */
export interface SubscriberQuotaPatch extends SpeedQuotaPatch {
  readonly traffic_limit?: bigint | null;
  readonly expiry_date?: Date | null;
  readonly expiry_warned_for?: null;
  readonly traffic_warn_threshold?: number;
  readonly reset_schedule?: ResetSchedule;
  readonly reset_anchor?: number | null;
  readonly period_started_at?: Date;
  readonly on_hold_days?: number | null;
}
