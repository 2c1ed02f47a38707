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

/**
 * The usage writes of up to `capacity` peers, column by column (no object per peer): row `i` is
 * entry `i` of every column, the first `count` rows are set. The ingest fills one batch, hands it
 * to `addUsage`, and fills it again from row 0 for the next chunk (the columns keep their length),
 * so a 10,000-peer poll allocates the columns once instead of an object and an array per peer.
 */
export class UsageBatch {
  count = 0;
  readonly ids: number[];
  /** What the poll added to period and lifetime usage. */
  readonly deltaRx: bigint[];
  readonly deltaTx: bigint[];
  /** The new raw counters. */
  readonly rawRx: bigint[];
  readonly rawTx: bigint[];
  /** The agent's totals and their epoch as observed; null from an agent without totals. */
  readonly totalRx: (bigint | null)[];
  readonly totalTx: (bigint | null)[];
  readonly epoch: (string | null)[];
  readonly endpoint: (string | null)[];
  readonly latestHandshakeAt: (Date | null)[];
  /**
   * The raw counters the delta was computed from, null when not known. When every row of the
   * batch has them, a row is written only if it still holds them (the ingest's cache may be stale).
   */
  readonly expectRx: (bigint | null)[];
  readonly expectTx: (bigint | null)[];

  constructor(readonly capacity: number) {
    const column = <T>(fill: T): T[] => new Array<T>(capacity).fill(fill);
    this.ids = column(0);
    this.deltaRx = column(0n);
    this.deltaTx = column(0n);
    this.rawRx = column(0n);
    this.rawTx = column(0n);
    this.totalRx = column<bigint | null>(null);
    this.totalTx = column<bigint | null>(null);
    this.epoch = column<string | null>(null);
    this.endpoint = column<string | null>(null);
    this.latestHandshakeAt = column<Date | null>(null);
    this.expectRx = column<bigint | null>(null);
    this.expectTx = column<bigint | null>(null);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** True when every row carries the raw counters it expects (see `expectRx`). */
  get guarded(): boolean {
    for (let i = 0; i < this.count; i++) if (this.expectRx[i] === null) return false;
    return this.count > 0;
  }

  /**
   * Appends one peer's write without totals, endpoint, handshake or expected counters (set them
   * on the row answered).
   */
  add(id: number, deltaRx: bigint, deltaTx: bigint, rawRx: bigint, rawTx: bigint): number {
    const i = this.count++;
    this.ids[i] = id;
    this.deltaRx[i] = deltaRx;
    this.deltaTx[i] = deltaTx;
    this.rawRx[i] = rawRx;
    this.rawTx[i] = rawTx;
    this.totalRx[i] = null;
    this.totalTx[i] = null;
    this.epoch[i] = null;
    this.endpoint[i] = null;
    this.latestHandshakeAt[i] = null;
    this.expectRx[i] = null;
    this.expectTx[i] = null;
    return i;
  }

  /** Empties it for the next chunk. */
  clear(): void {
    this.count = 0;
  }
}

/** A poll's samples as columns (no object per peer): the first `count` entries are set. */
export interface UsageSampleColumns {
  readonly count: number;
  readonly peerIds: Float64Array;
  readonly rx: BigInt64Array;
  readonly tx: BigInt64Array;
}
