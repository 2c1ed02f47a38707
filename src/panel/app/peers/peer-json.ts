import type { PeerRecord } from './peer-record.js';
import type { PeerListing, PeerListingColumns } from './ports.js';
import {
  daysUntil,
  isAtThreshold,
  isExpired,
  isOverLimit,
  usagePercent,
} from '../../domain/policy/evaluate.js';
import type { PeerJson } from '../../../shared/wire/panel-api.js';
import { quotaJobs, type PeerJob } from '../../domain/peer-jobs.js';
import type { ShareLinkJson } from '../../domain/share-links.js';
import { shownStatus } from '../../domain/policy/quotas.js';
import { instantText } from './instant-text.js';

/** The columns the mapper reads (a whole `peers` row will do): a listing's, with the keys. */
export type PeerJsonSource = Omit<PeerListingColumns, 'id'> &
  Pick<PeerRecord, 'private_key' | 'preshared_key'>;

/**
 * A peer as the lists read it: the mapper's columns with only WHETHER the panel holds a private or
 * preshared key, never the key text (see `PeerListing` in app/peers/ports.ts).
 */
export type PeerJsonListingSource = Omit<PeerListing, 'id'>;

/** What a peer's JSON carries from other tables: WGDashboard 4.3's `ShareLink` and stored jobs. */
export interface PeerAttachments {
  /** Its active share links. */
  readonly shareLinks?: readonly ShareLinkJson[];
  /** Its waiting jobs that are not a view of its quota. */
  readonly jobs?: readonly PeerJob[];
}

const GIB = 1024 ** 3;
/** Bytes as a JSON number: exact up to 2^53 − 1, which no real counter reaches. */
const num = (b: bigint) => Number(b);
/** Bytes (as a JSON number) in GiB, four decimals (WGDashboard's `total_*` and `cumu_*`). */
const gib = (bytes: number) => Math.round((bytes / GIB) * 10_000) / 10_000;
const nullable = (b: bigint | null) => (b === null ? null : Number(b));

/** A row either mapper reads: a whole row (with its keys) or a listing's. */
export type PeerJsonRow = PeerJsonSource | PeerJsonListingSource;

/** What a peer's fields are computed from besides its row: the clock, names, other tables. */
export interface PeerJsonContext {
  readonly now: Date;
  readonly configuration: string;
  readonly attached: PeerAttachments;
}

/** Values several fields read, worked out once per peer. */
export interface Derived {
  /** Period usage (rx + tx). */
  readonly usage: bigint;
  readonly lifetime: bigint;
  /** Whether the row is a listing's (key flags) rather than a whole row (keys). */
  readonly listing: boolean;
}

type PeerJsonFields = {
  readonly [K in keyof PeerJson]-?: (
    row: PeerJsonRow,
    d: Derived,
    c: PeerJsonContext,
  ) => PeerJson[K];
};

/**
 * Every field of a peer's JSON, in its order, as a function of the row: the one definition both
 * forms read — `toPeerJson` (an object) and the streamed listing's writer (`compileFieldsWriter`
 * in http/compiled-json.ts: its JSON text, written without the object, for 10,000 peers).
 */
export const PEER_JSON_FIELDS: PeerJsonFields = {
  id: (r) => r.public_key,
  name: (r) => r.name,
  allowed_ip: (r) => r.allowed_ip,
  status: (r) => shownStatus(r.status, r.throttled_at !== null),
  restriction_reason: (r) => r.restriction_reason,
  restricted_at: (r) => instantText(r, 'restricted_at'),
  has_private_key: (r, d) =>
    d.listing
      ? (r as PeerJsonListingSource).has_private_key
      : (r as PeerJsonSource).private_key !== null,
  has_preshared_key: (r, d) =>
    d.listing
      ? (r as PeerJsonListingSource).has_preshared_key
      : (r as PeerJsonSource).preshared_key !== null,
  DNS: (r) => r.dns,
  mtu: (r) => r.mtu,
  keepalive: (r) => r.keepalive,
  endpoint_allowed_ip: (r) => r.endpoint_allowed_ip,
  endpoint: (r) => r.endpoint,
  latest_handshake: (r) => instantText(r, 'latest_handshake_at'),
  traffic_limit: (r) => nullable(r.traffic_limit),
  expiry_date: (r) => instantText(r, 'expiry_date'),
  traffic_warn_threshold: (r) => r.traffic_warn_threshold,
  reset_schedule: (r) => r.reset_schedule,
  reset_anchor: (r) => r.reset_anchor,
  period_started_at: (r) => instantText(r, 'period_started_at'),
  download_bps: (r) => nullable(r.download_bps),
  upload_bps: (r) => nullable(r.upload_bps),
  on_limit: (r) => r.on_limit,
  throttle_download_bps: (r) => nullable(r.throttle_download_bps),
  throttle_upload_bps: (r) => nullable(r.throttle_upload_bps),
  throttled_at: (r) => instantText(r, 'throttled_at'),
  download_limit: (r) => nullable(r.download_limit),
  upload_limit: (r) => nullable(r.upload_limit),
  daily_limit: (r) => nullable(r.daily_limit),
  day_usage: (r) => (r.day_started_at === null ? 0 : num(r.day_rx + r.day_tx)),
  period_rx: (r) => num(r.period_rx),
  period_tx: (r) => num(r.period_tx),
  usage_total: (_, d) => num(d.usage),
  lifetime_rx: (r) => num(r.lifetime_rx),
  lifetime_tx: (r) => num(r.lifetime_tx),
  lifetime_total: (_, d) => num(d.lifetime),
  usage_percentage: (r, d) => usagePercent(d.usage, r.traffic_limit),
  traffic_limit_exceeded: (r, d) => isOverLimit(d.usage, r.traffic_limit),
  traffic_limit_warning: (r, d) =>
    isAtThreshold(d.usage, r.traffic_limit, r.traffic_warn_threshold),
  expired: (r, _, c) => isExpired(r.expiry_date, c.now),
  days_until_expiry: (r, _, c) => (r.expiry_date === null ? null : daysUntil(r.expiry_date, c.now)),
  total_receive: (r) => gib(num(r.period_rx)),
  total_sent: (r) => gib(num(r.period_tx)),
  total_data: (_, d) => gib(num(d.usage)),
  cumu_receive: (r) => gib(num(r.lifetime_rx)),
  cumu_sent: (r) => gib(num(r.lifetime_tx)),
  cumu_data: (_, d) => gib(num(d.lifetime)),
  subscriber_id: (r) => r.subscriber_id,
  restricted_by_subscriber: (r) => r.restricted_by_subscriber,
  created_at: (r) => instantText(r, 'created_at'),
  // Copies only when there is something to add (a listing's peers mostly have nothing).
  jobs: (r, _, c) =>
    c.attached.jobs?.length
      ? [...quotaJobs(r, c.configuration), ...c.attached.jobs]
      : quotaJobs(r, c.configuration),
  ShareLink: (_, __, c) => (c.attached.shareLinks ? [...c.attached.shareLinks] : []),
};

/** The values the fields share, worked out once per peer. */
export function derivePeerJson(row: PeerJsonRow): Derived {
  return {
    usage: row.period_rx + row.period_tx,
    lifetime: row.lifetime_rx + row.lifetime_tx,
    listing: 'has_private_key' in row,
  };
}

export const NO_ATTACHMENTS: PeerAttachments = {};

/** The context of one peer's fields. */
export const peerJsonContext = (
  now: Date,
  configuration = '',
  attached: PeerAttachments = NO_ATTACHMENTS,
): PeerJsonContext => ({ now, configuration, attached });

type Build = (row: PeerJsonRow, d: Derived, c: PeerJsonContext) => PeerJson;

/** `{id: f.id(r, d, c), …}`: one object literal of the fields, compiled once. */
const build = new Function(
  'f',
  `return (r, d, c) => ({${Object.keys(PEER_JSON_FIELDS)
    .map((k) => `${JSON.stringify(k)}: f[${JSON.stringify(k)}](r, d, c)`)
    .join(', ')}});`,
)(PEER_JSON_FIELDS) as Build;

/**
 * Maps a `peers` row to its wire shape; computed fields use `now` (the panel's clock);
 * `configuration` (its name) goes into the WGDashboard jobs; `attached`: what other tables hold of
 * it (see PeerAttachments).
 */
export function toPeerJson(
  row: PeerJsonRow,
  now: Date,
  configuration = '',
  attached: PeerAttachments = NO_ATTACHMENTS,
): PeerJson {
  return build(row, derivePeerJson(row), peerJsonContext(now, configuration, attached));
}
