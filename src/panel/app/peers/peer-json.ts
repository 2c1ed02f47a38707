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
const gib = (b: bigint) => Math.round((Number(b) / GIB) * 10_000) / 10_000;
const nullable = (b: bigint | null) => (b === null ? null : Number(b));
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * Maps a `peers` row to its wire shape; computed fields use `now` (the panel's clock);
 * `configuration` (its name) goes into the WGDashboard jobs; `attached`: what other tables hold of
 * it (see PeerAttachments).
 */
export function toPeerJson(
  row: PeerJsonSource | PeerJsonListingSource,
  now: Date,
  configuration = '',
  attached: PeerAttachments = {},
): PeerJson {
  const listing = 'has_private_key' in row;
  const usage = row.period_rx + row.period_tx;
  const lifetime = row.lifetime_rx + row.lifetime_tx;
  return {
    id: row.public_key,
    name: row.name,
    allowed_ip: row.allowed_ip,
    status: shownStatus(row.status, row.throttled_at !== null),
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
    download_bps: row.download_bps === null ? null : num(row.download_bps),
    upload_bps: row.upload_bps === null ? null : num(row.upload_bps),
    on_limit: row.on_limit,
    throttle_download_bps: nullable(row.throttle_download_bps),
    throttle_upload_bps: nullable(row.throttle_upload_bps),
    throttled_at: iso(row.throttled_at),
    download_limit: nullable(row.download_limit),
    upload_limit: nullable(row.upload_limit),
    daily_limit: nullable(row.daily_limit),
    day_usage: row.day_started_at === null ? 0 : num(row.day_rx + row.day_tx),
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
    subscriber_id: row.subscriber_id,
    restricted_by_subscriber: row.restricted_by_subscriber,
    created_at: row.created_at.toISOString(),
    // Copies only when there is something to add (a listing's peers mostly have nothing).
    jobs: attached.jobs?.length
      ? [...quotaJobs(row, configuration), ...attached.jobs]
      : quotaJobs(row, configuration),
    ShareLink: attached.shareLinks ? [...attached.shareLinks] : [],
  };
}
