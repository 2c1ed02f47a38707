import type { OnLimitAction } from '../domain/vocabulary.js';

/**
 * The throttle and granular quota columns (issue 15), the same on a peer and on a subscriber
 * (whose quotas count the sums of its peers).
 */
export interface ThrottleQuotaColumns {
  /** Over a byte quota: cut off (`restrict`) or slowed down (`throttle`). */
  readonly on_limit: OnLimitAction;
  /** Speeds while throttled, bit/s; null = that direction not slowed. */
  readonly throttle_download_bps: bigint | null;
  readonly throttle_upload_bps: bigint | null;
  /** Set while throttled (it stays active). */
  readonly throttled_at: Date | null;
  /** Bytes per period, one direction: download = the node's tx, upload = its rx. */
  readonly download_limit: bigint | null;
  readonly upload_limit: bigint | null;
  /** Bytes (rx + tx) per calendar day in the panel's time zone. */
  readonly daily_limit: bigint | null;
}

/** The same, with the speed limits: bit/s from the peer's point of view; null = not limited. */
export interface SpeedQuotaColumns extends ThrottleQuotaColumns {
  readonly download_bps: bigint | null;
  readonly upload_bps: bigint | null;
}

/** What a change may set of them (absent = kept). */
export type SpeedQuotaPatch = Partial<Omit<SpeedQuotaColumns, 'throttled_at'>>;
