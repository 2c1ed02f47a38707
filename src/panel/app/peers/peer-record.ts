import type { SpeedQuotaColumns } from '../limit-columns.js';
import type { PeerStatus, ResetSchedule, RestrictionReason } from '../../domain/vocabulary.js';

/**
 * A stored peer as the peers use cases read it: every column of its row (the adapter's `peers`
 * table is checked to read back exactly this). Byte counts are bigint, times Date (UTC).
 */
export interface PeerRecord extends SpeedQuotaColumns {
  readonly id: number;
  readonly configuration_id: number;
  readonly name: string;
  readonly public_key: string;
  /** SECRET. Null when the panel did not generate the key (imported or supplied peers). */
  readonly private_key: string | null;
  /** SECRET. */
  readonly preshared_key: string | null;
  /** The peer's addresses on the interface, comma-separated. */
  readonly allowed_ip: string;
  readonly endpoint_allowed_ip: string | null;
  readonly dns: string | null;
  readonly mtu: number | null;
  readonly keepalive: number | null;
  readonly status: PeerStatus;
  readonly restriction_reason: RestrictionReason | null;
  readonly restricted_at: Date | null;
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
  readonly period_rx: bigint;
  readonly period_tx: bigint;
  readonly lifetime_rx: bigint;
  readonly lifetime_tx: bigint;
  readonly period_started_at: Date;
  readonly traffic_warned: boolean;
  readonly expiry_warned_for: Date | null;
  /** The subscriber the peer belongs to; null = none. */
  readonly subscriber_id: number | null;
  /** lifetime_rx/tx when its subscriber's period began (or it joined): see subscribers. */
  readonly subscriber_base_rx: bigint;
  readonly subscriber_base_tx: bigint;
  /** Its restriction is its subscriber's. */
  readonly restricted_by_subscriber: boolean;
  readonly endpoint: string | null;
  readonly latest_handshake_at: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** Columns the store fills in when a new peer leaves them out. */
type Defaulted =
  | 'id'
  | 'name'
  | 'status'
  | 'traffic_warn_threshold'
  | 'reset_schedule'
  | 'period_rx'
  | 'period_tx'
  | 'lifetime_rx'
  | 'lifetime_tx'
  | 'period_started_at'
  | 'traffic_warned'
  | 'subscriber_base_rx'
  | 'subscriber_base_tx'
  | 'restricted_by_subscriber'
  | 'on_limit'
  | 'day_rx'
  | 'day_tx'
  | 'download_warned'
  | 'upload_warned'
  | 'daily_warned'
  | 'created_at'
  | 'updated_at';
/** Nullable columns a new peer may leave out (null). */
type Optional =
  | 'private_key'
  | 'preshared_key'
  | 'endpoint_allowed_ip'
  | 'dns'
  | 'mtu'
  | 'keepalive'
  | 'restriction_reason'
  | 'restricted_at'
  | 'traffic_limit'
  | 'expiry_date'
  | 'reset_anchor'
  | 'download_bps'
  | 'upload_bps'
  | 'throttle_download_bps'
  | 'throttle_upload_bps'
  | 'throttled_at'
  | 'download_limit'
  | 'upload_limit'
  | 'daily_limit'
  | 'day_started_at'
  | 'last_raw_rx'
  | 'last_raw_tx'
  | 'expiry_warned_for'
  | 'subscriber_id'
  | 'endpoint'
  | 'latest_handshake_at';

/** A peer to store: the required columns, and any defaulted or nullable ones. */
export type NewPeer = Omit<PeerRecord, Defaulted | Optional> &
  Partial<Pick<PeerRecord, Exclude<Defaulted, 'id'> | Optional>>;

/** Columns to change on a stored peer (absent = kept). */
export type PeerChanges = { -readonly [K in Exclude<keyof PeerRecord, 'id'>]?: PeerRecord[K] };
