import { Type, type Static, type TSchema } from 'typebox';
import type { PeerRecord } from '../app/peers/peer-record.js';
import type { PeerListing, PeerListingColumns } from '../app/peers/ports.js';
import {
  daysUntil,
  isAtThreshold,
  isExpired,
  isOverLimit,
  usagePercent,
} from '../domain/policy/evaluate.js';
import { PEER_STATUSES, RESET_SCHEDULES, RESTRICTION_REASONS } from '../domain/vocabulary.js';
import { literalUnion } from '../../shared/wire/literal-union.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Bytes = (description: string) => Type.Integer({ minimum: 0, description });

/**
 * THE wire shape of a peer, shared by every endpoint that answers with peers. WGDashboard 4.3's
 * field names where it has them (`id`, `name`, `allowed_ip`, `DNS`, `mtu`, `keepalive`,
 * `endpoint_allowed_ip`, `endpoint`, `latest_handshake`, `total_*` / `cumu_*` in GiB), plus the
 * seed's quota fields and what its helpers compute. Byte counts are integers (exact up to
 * 2^53 − 1). Never a private or preshared key: only whether the panel holds one.
 *
 * Differences from WGDashboard: `status` is `active | restricted` (WGDashboard: running/stopped);
 * `latest_handshake` is an ISO time or null (WGDashboard: "No Handshake" or an age);
 * `endpoint` is null when unknown (WGDashboard: "(none)"); no embedded `configuration` object.
 */
export const PeerJson = Type.Object({
  id: Type.String({ description: 'The public key' }),
  name: Type.String(),
  allowed_ip: Type.String({ description: 'Addresses on the interface, comma-separated' }),
  status: literalUnion(PEER_STATUSES),
  restriction_reason: Nullable(literalUnion(RESTRICTION_REASONS)),
  restricted_at: Nullable(Type.String()),
  has_private_key: Type.Boolean({
    description: 'The panel holds the private key (client config download possible)',
  }),
  has_preshared_key: Type.Boolean(),
  DNS: Nullable(Type.String()),
  mtu: Nullable(Type.Integer()),
  keepalive: Nullable(Type.Integer()),
  endpoint_allowed_ip: Nullable(Type.String()),
  endpoint: Nullable(Type.String({ description: 'Last seen host:port of the peer' })),
  latest_handshake: Nullable(Type.String({ description: 'ISO 8601 UTC; null = never' })),

  traffic_limit: Nullable(Bytes('Quota of the period, rx + tx; null = none')),
  expiry_date: Nullable(Type.String({ description: 'ISO 8601 UTC; null = never' })),
  traffic_warn_threshold: Type.Integer({ minimum: 1, maximum: 100 }),
  reset_schedule: literalUnion(RESET_SCHEDULES),
  reset_anchor: Nullable(Type.Integer()),
  period_started_at: Type.String(),

  period_rx: Bytes('Bytes received by the node from the peer in the current period'),
  period_tx: Bytes('Bytes sent by the node to the peer in the current period'),
  usage_total: Bytes('period_rx + period_tx: what the quota is checked against'),
  lifetime_rx: Bytes('Bytes received since the peer was created'),
  lifetime_tx: Bytes('Bytes sent since the peer was created'),
  lifetime_total: Bytes('lifetime_rx + lifetime_tx'),
  usage_percentage: Nullable(Type.Number({ description: 'Of the limit, one decimal' })),
  traffic_limit_exceeded: Type.Boolean(),
  traffic_limit_warning: Type.Boolean({ description: 'Usage at or above the threshold' }),
  expired: Type.Boolean(),
  days_until_expiry: Nullable(Type.Integer({ description: 'Whole days, rounded up; 0 once due' })),

  total_receive: Type.Number({ description: 'WGDashboard: period_rx in GiB' }),
  total_sent: Type.Number({ description: 'WGDashboard: period_tx in GiB' }),
  total_data: Type.Number({ description: 'WGDashboard: usage_total in GiB' }),
  cumu_receive: Type.Number({ description: 'WGDashboard: lifetime_rx in GiB' }),
  cumu_sent: Type.Number({ description: 'WGDashboard: lifetime_tx in GiB' }),
  cumu_data: Type.Number({ description: 'WGDashboard: lifetime_total in GiB' }),
  created_at: Type.String(),
});
export type PeerJson = Static<typeof PeerJson>;

/** The columns the mapper reads (a whole `peers` row will do): a listing's, with the keys. */
export type PeerJsonSource = Omit<PeerListingColumns, 'id'> &
  Pick<PeerRecord, 'private_key' | 'preshared_key'>;

/**
 * A peer as the lists read it: the mapper's columns with only WHETHER the panel holds a private or
 * preshared key, never the key text (see `PeerListing` in app/peers/ports.ts).
 */
export type PeerJsonListingSource = Omit<PeerListing, 'id'>;

const GIB = 1024 ** 3;
/** Bytes as a JSON number: exact up to 2^53 − 1, which no real counter reaches. */
const num = (b: bigint) => Number(b);
const gib = (b: bigint) => Math.round((Number(b) / GIB) * 10_000) / 10_000;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** Maps a `peers` row to its wire shape; computed fields use `now` (the panel's clock). */
export function toPeerJson(row: PeerJsonSource | PeerJsonListingSource, now: Date): PeerJson {
  const listing = 'has_private_key' in row;
  const usage = row.period_rx + row.period_tx;
  const lifetime = row.lifetime_rx + row.lifetime_tx;
  return {
    id: row.public_key,
    name: row.name,
    allowed_ip: row.allowed_ip,
    status: row.status,
    restriction_reason: row.restriction_reason,
    restricted_at: iso(row.restricted_at),
    has_private_key: listing ? row.has_private_key : row.private_key !== null,
    has_preshared_key: listing ? row.has_preshared_key : row.preshared_key !== null,
    DNS: row.dns,
    mtu: row.mtu,
    keepalive: row.keepalive,
    endpoint_allowed_ip: row.endpoint_allowed_ip,
    endpoint: row.endpoint,
    latest_handshake: iso(row.latest_handshake_at),
    traffic_limit: row.traffic_limit === null ? null : num(row.traffic_limit),
    expiry_date: iso(row.expiry_date),
    traffic_warn_threshold: row.traffic_warn_threshold,
    reset_schedule: row.reset_schedule,
    reset_anchor: row.reset_anchor,
    period_started_at: row.period_started_at.toISOString(),
    period_rx: num(row.period_rx),
    period_tx: num(row.period_tx),
    usage_total: num(usage),
    lifetime_rx: num(row.lifetime_rx),
    lifetime_tx: num(row.lifetime_tx),
    lifetime_total: num(lifetime),
    usage_percentage: usagePercent(usage, row.traffic_limit),
    traffic_limit_exceeded: isOverLimit(usage, row.traffic_limit),
    traffic_limit_warning: isAtThreshold(usage, row.traffic_limit, row.traffic_warn_threshold),
    expired: isExpired(row.expiry_date, now),
    days_until_expiry: row.expiry_date === null ? null : daysUntil(row.expiry_date, now),
    total_receive: gib(row.period_rx),
    total_sent: gib(row.period_tx),
    total_data: gib(usage),
    cumu_receive: gib(row.lifetime_rx),
    cumu_sent: gib(row.lifetime_tx),
    cumu_data: gib(lifetime),
    created_at: row.created_at.toISOString(),
  };
}
