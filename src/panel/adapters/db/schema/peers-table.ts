import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { NewPeer, PeerChanges, PeerRecord } from '../../../app/peers/peer-record.js';
import type {
  OnLimitAction,
  PeerStatus,
  ResetSchedule,
  RestrictionReason,
} from '../../../domain/vocabulary.js';

/**
 * `peers`: every peer of every configuration, active or restricted, in one table.
 *
 * Unique by (configuration_id, public_key) and by (configuration_id, allowed_ip), so an address
 * stays reserved while its peer is restricted. Byte counts are `bigint` (see README.md).
 * Nullable settings (dns, mtu, keepalive, endpoint_allowed_ip) mean "the configuration's default".
 */
export interface PeersTable {
  id: Generated<number>;
  /** → configurations.id, ON DELETE CASCADE. */
  configuration_id: number;
  /** Defaults to the empty string, as in WGDashboard. */
  name: Generated<string>;
  /**
   * How `name` sorts (domain/name-sort-key.ts), written with it by the peers writer; defaults to
   * '' (the empty name's key). Compared byte for byte on every dialect.
   */
  name_sort_key: Generated<string>;
  public_key: string;
  /**
   * SECRET, stored sealed (`enc:v1:…`, bound to configuration and public key; the repositories
   * open it). Null when the panel did not generate the key (imported or supplied peers).
   */
  private_key: string | null;
  /** SECRET, stored sealed like `private_key`. */
  preshared_key: string | null;
  /** The peer's addresses on the interface, comma-separated: `10.8.0.2/32, fd00:8::2/128`. */
  allowed_ip: string;
  /** `AllowedIPs` written into the client config. */
  endpoint_allowed_ip: string | null;
  dns: string | null;
  mtu: number | null;
  keepalive: number | null;

  /** Defaults to `active`. The database checks: restricted ⇔ restriction_reason is set. */
  status: Generated<PeerStatus>;
  restriction_reason: RestrictionReason | null;
  restricted_at: Date | null;

  /** Quota in bytes, rx + tx of the current period; null = none. ≥ 0. */
  traffic_limit: bigint | null;
  /** UTC instant after which the peer is restricted; null = never. */
  expiry_date: Date | null;
  /** Percentage of the limit at which one warning fires, 1–100; defaults to 80. */
  traffic_warn_threshold: Generated<number>;
  /** Defaults to `none`. */
  reset_schedule: Generated<ResetSchedule>;
  /**
   * weekly: ISO weekday 1 (Monday)–7; monthly: day of month 1–31 (31 = the month's last day);
   * null = the first (Monday, the 1st); must be null for `none` and `daily`.
   */
  reset_anchor: number | null;
  /**
   * Speed limits in bits per second, from the peer's point of view (download = what the node
   * sends it); null = not limited. Enforced on the node by the agent (tc).
   */
  download_bps: bigint | null;
  upload_bps: bigint | null;
  /** Over a byte quota: `restrict` (cut off, the default) or `throttle` (slowed down). */
  on_limit: Generated<OnLimitAction>;
  /** The speeds while throttled, bit/s (> 0); null = that direction not slowed. */
  throttle_download_bps: bigint | null;
  throttle_upload_bps: bigint | null;
  /** Set while the peer is throttled (it stays `active`, on its node, at the throttle speed). */
  throttled_at: Date | null;
  /** Bytes per period the node may send the peer (its tx); null = none. ≥ 0. */
  download_limit: bigint | null;
  /** Bytes per period the node may receive from the peer (its rx); null = none. ≥ 0. */
  upload_limit: bigint | null;
  /** Bytes (rx + tx) per calendar day in the panel's time zone; null = none. ≥ 0. */
  daily_limit: bigint | null;
  /** Usage since day_started_at (what daily_limit is checked against). Default 0. */
  day_rx: Generated<bigint>;
  day_tx: Generated<bigint>;
  /** Start of the day day_rx/tx count; null until the policy first sees the peer with a daily limit. */
  day_started_at: Date | null;
  /** One warning per threshold crossing of each quota, as traffic_warned. Default false. */
  download_warned: Generated<boolean>;
  upload_warned: Generated<boolean>;
  daily_warned: Generated<boolean>;

  // Usage ledger: 64-bit byte counters, all ≥ 0. rx = received by the node.
  /**
   * The raw WireGuard counters seen on the last poll, to compute the next delta. Both null until
   * the first observation (the database checks they are null together).
   */
  last_raw_rx: bigint | null;
  last_raw_tx: bigint | null;
  /**
   * The agent's totals of the peer (`total_rx`/`total_tx` of its dump) last counted, and their
   * epoch; null from agents without totals. Same epoch next poll: delta = total − last total.
   */
  last_total_rx: bigint | null;
  last_total_tx: bigint | null;
  totals_epoch: string | null;
  /** Usage since period_started_at (what the quota is checked against). Default 0. */
  period_rx: Generated<bigint>;
  period_tx: Generated<bigint>;
  /** Usage since the peer was created; never reset. Default 0. */
  lifetime_rx: Generated<bigint>;
  lifetime_tx: Generated<bigint>;
  /** Start of the current usage period; defaults to the insert time. */
  period_started_at: Generated<Date>;

  /** The usage warning of the current threshold crossing was given; false again once below. */
  traffic_warned: Generated<boolean>;
  /** The expiry date an "expiring soon" warning was given for; a new date warns again. */
  expiry_warned_for: Date | null;

  /** → subscribers.id, ON DELETE SET NULL: the customer the peer belongs to; null = none. */
  subscriber_id: number | null;
  /**
   * lifetime_rx/tx when the subscriber's period began or the peer joined it: the peer's usage in
   * its subscriber's period is lifetime − base (the ingest writes nothing more). Default 0.
   */
  subscriber_base_rx: Generated<bigint>;
  subscriber_base_tx: Generated<bigint>;
  /**
   * lifetime_rx + lifetime_tx when the subscriber's day began or the peer joined it: its bytes in
   * the subscriber's day are lifetime − this (0021). Default 0.
   */
  subscriber_day_base: Generated<bigint>;
  /** The restriction is its subscriber's (lifted with it, even `manual`). Default false. */
  restricted_by_subscriber: Generated<boolean>;

  /** Observed by the poller: the peer's last endpoint `host:port`. */
  endpoint: string | null;
  /** Observed by the poller: the last handshake, null = never. */
  latest_handshake_at: Date | null;

  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A `peers` row as read. */
export type PeerRow = Selectable<PeersTable>;
/** A `peers` row to insert. */
export type PeerInsert = Insertable<PeersTable>;
/** A partial `peers` row to update. */
export type PeerUpdate = Updateable<PeersTable>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/**
 * Compile-time checks that the table is what the peers use cases speak (app/peers/peer-record.ts):
 * a row reads back as a PeerRecord, a NewPeer inserts and PeerChanges update, column for column.
 */
export type PeersTableMatchesPeerRecord = Holds<
  Same<Readonly<PeerRow>, PeerRecord> &
    Same<NewPeer extends PeerInsert ? true : false, true> &
    Same<PeerChanges extends PeerUpdate ? true : false, true>
>;
