import type { SpeedQuotaColumns } from '../limit-columns.js';
import type { PeerStatus, ResetSchedule, RestrictionReason } from '../../domain/policy/types.js';

/**
 * A peer as the ledger and the policy see it: the `peers` columns they read, plus its node.
 * Bytes are bigint, times Date (UTC).
 */
export interface UsagePeerRow extends SpeedQuotaColumns {
  readonly id: number;
  readonly configuration_id: number;
  readonly node_id: number | null;
  readonly name: string;
  readonly public_key: string;
  readonly status: PeerStatus;
  readonly restriction_reason: RestrictionReason | null;
  readonly traffic_limit: bigint | null;
  readonly expiry_date: Date | null;
  readonly traffic_warn_threshold: number;
  readonly reset_schedule: ResetSchedule;
  readonly reset_anchor: number | null;
  readonly day_rx: bigint;
  readonly day_tx: bigint;
  readonly day_started_at: Date | null;
  readonly download_warned: boolean;
  readonly upload_warned: boolean;
  readonly daily_warned: boolean;
  readonly last_raw_rx: bigint | null;
  readonly last_raw_tx: bigint | null;
  readonly last_total_rx: bigint | null;
  readonly last_total_tx: bigint | null;
  readonly totals_epoch: string | null;
  readonly period_rx: bigint;
  readonly period_tx: bigint;
  readonly period_started_at: Date;
  readonly traffic_warned: boolean;
  readonly expiry_warned_for: Date | null;
  readonly endpoint: string | null;
  readonly latest_handshake_at: Date | null;
  readonly subscriber_id: number | null;
  /** Its subscriber's name (for log lines), null without one. */
  readonly subscriber_name: string | null;
  /** Its subscriber's restriction reason while the subscriber is restricted, else null. */
  readonly subscriber_cut: RestrictionReason | null;
  /** The peer's restriction is its subscriber's. */
  readonly restricted_by_subscriber: boolean;
}

/** The columns the ingest reads for every peer of a dump: the ledger and the traffic checks. */
export type LedgerRow = Pick<
  UsagePeerRow,
  | 'id'
  | 'public_key'
  | 'last_raw_rx'
  | 'last_raw_tx'
  | 'last_total_rx'
  | 'last_total_tx'
  | 'totals_epoch'
  | 'period_rx'
  | 'period_tx'
  | 'traffic_limit'
  | 'traffic_warn_threshold'
  | 'traffic_warned'
  | 'status'
  | 'restriction_reason'
  | 'subscriber_id'
  | 'download_limit'
  | 'upload_limit'
  | 'daily_limit'
  | 'throttled_at'
>;

/** What the policy changes on one peer (the whole policy state, written when it differs). */
export interface PolicyChange {
  readonly id: number;
  readonly status: PeerStatus;
  readonly restriction_reason: RestrictionReason | null;
  /** Set when the peer was restricted now, null when restored, undefined = unchanged. */
  readonly restricted_at: Date | null | undefined;
  readonly traffic_warned: boolean;
  readonly expiry_warned_for: Date | null;
  readonly period_started_at: Date;
  /** Period usage starts again from zero. */
  readonly reset_usage: boolean;
  /** Restored to WireGuard: its counters will start from zero (last_raw := 0). */
  readonly restored: boolean;
  /** The restriction is its subscriber's. */
  readonly restricted_by_subscriber: boolean;
  /** Set when throttled now, null when back at full speed, undefined = unchanged. */
  readonly throttled_at: Date | null | undefined;
  readonly day_started_at: Date | null;
  /** The day's usage starts again from zero (a new day began). */
  readonly reset_day: boolean;
  readonly download_warned: boolean;
  readonly upload_warned: boolean;
  readonly daily_warned: boolean;
}

/** One peer's new raw counters and what they added. */
export interface UsageUpdate {
  readonly id: number;
  readonly deltaRx: bigint;
  readonly deltaTx: bigint;
  readonly rawRx: bigint;
  readonly rawTx: bigint;
  /** The agent's totals and their epoch as observed; null from an agent without totals. */
  readonly totalRx: bigint | null;
  readonly totalTx: bigint | null;
  readonly epoch: string | null;
  readonly endpoint: string | null;
  readonly latestHandshakeAt: Date | null;
  /**
   * The raw counters the delta was computed from. When every update of a batch has it, a row
   * is written only if it still holds them (the ingest's cache may be stale).
   */
  readonly expect?: { readonly rx: bigint; readonly tx: bigint } | undefined;
}

/** A poll's samples as columns (no object per peer): the first `count` entries are set. */
export interface UsageSampleColumns {
  readonly count: number;
  readonly peerIds: Float64Array;
  readonly rx: BigInt64Array;
  readonly tx: BigInt64Array;
}
