import type {
  StoredSubscriberEvent,
  SubscriberPeer,
  SubscriberWithUsage,
} from '../app/subscribers/ports.js';
import { daysUntil, usagePercent } from '../domain/policy/evaluate.js';
import { dayUsageAt, shownSubscriberStatus } from '../domain/policy/quotas.js';
import { nextBoundary } from '../domain/policy/reset-schedule.js';
import type {
  SubscriberDetailJson,
  SubscriberJson,
  SubscriberPeerJson,
  UsageJson,
} from '../../shared/wire/panel-api.js';
import { toPeerJson } from './peer-json.js';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const num = (n: bigint | null) => (n === null ? null : Number(n));

/** Bytes as the subscriber sees them: upload = what the nodes received. */
export function usageJson(rx: bigint, tx: bigint): UsageJson {
  return { upload: Number(rx), download: Number(tx), total: Number(rx + tx) };
}

/** Its page, as an absolute path. */
export const pagePath = (token: string) => `/sub/${token}`;

/** A subscriber in lists (never its token). */
export function toSubscriberJson(
  s: SubscriberWithUsage,
  now: Date,
  timezone: string,
): SubscriberJson {
  const total = s.usage_rx + s.usage_tx;
  return {
    id: s.id,
    name: s.name,
    email: s.email,
    telegram_chat_id: s.telegram_chat_id,
    language: s.language,
    note: s.note,
    status: shownSubscriberStatus(s),
    restriction_reason: s.restriction_reason,
    restricted_at: iso(s.restricted_at),
    traffic_limit: s.traffic_limit === null ? null : Number(s.traffic_limit),
    expiry_date: iso(s.expiry_date),
    traffic_warn_threshold: s.traffic_warn_threshold,
    reset_schedule: s.reset_schedule,
    reset_anchor: s.reset_anchor,
    on_hold_days: s.on_hold_days,
    activated_at: iso(s.activated_at),
    period_started_at: s.period_started_at.toISOString(),
    next_reset_at: iso(nextBoundary(s.reset_schedule, s.reset_anchor, now, timezone)),
    usage: usageJson(s.usage_rx, s.usage_tx),
    usage_percentage: usagePercent(total, s.traffic_limit),
    days_until_expiry: s.expiry_date === null ? null : daysUntil(s.expiry_date, now),
    peer_count: s.peer_count,
    download_bps: num(s.download_bps),
    upload_bps: num(s.upload_bps),
    on_limit: s.on_limit,
    throttle_download_bps: num(s.throttle_download_bps),
    throttle_upload_bps: num(s.throttle_upload_bps),
    throttled_at: iso(s.throttled_at),
    download_limit: num(s.download_limit),
    upload_limit: num(s.upload_limit),
    daily_limit: num(s.daily_limit),
    day_usage: Number(dayUsageAt(s.day_usage, s.day_started_at, now, timezone)),
    created_at: s.created_at.toISOString(),
  };
}

/** One of its peers: the peer JSON with where it lives and its usage in the subscriber's period. */
export function toSubscriberPeerJson(p: SubscriberPeer, now: Date): SubscriberPeerJson {
  return {
    ...toPeerJson(p.peer, now),
    configuration: p.configuration.name,
    node: p.configuration.node.name,
    subscriber_usage: usageJson(p.usageRx, p.usageTx),
  };
}

/** One subscriber in full (its token and page included: the operator hands the link out). */
export function toSubscriberDetailJson(
  s: SubscriberWithUsage,
  peers: readonly SubscriberPeer[],
  events: readonly StoredSubscriberEvent[],
  now: Date,
  timezone: string,
): SubscriberDetailJson {
  const byConfiguration = new Map<
    number,
    { configuration: string; node: string; rx: bigint; tx: bigint }
  >();
  for (const p of peers) {
    const c = byConfiguration.get(p.configuration.id) ?? {
      configuration: p.configuration.name,
      node: p.configuration.node.name,
      rx: 0n,
      tx: 0n,
    };
    c.rx += p.usageRx;
    c.tx += p.usageTx;
    byConfiguration.set(p.configuration.id, c);
  }
  return {
    ...toSubscriberJson(s, now, timezone),
    token: s.token,
    url: pagePath(s.token),
    usage_by_configuration: [...byConfiguration.values()].map((c) => ({
      configuration: c.configuration,
      node: c.node,
      ...usageJson(c.rx, c.tx),
    })),
    peers: peers.map((p) => toSubscriberPeerJson(p, now)),
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      message: e.message,
      data: e.values,
      created_at: e.createdAt.toISOString(),
    })),
  };
}
