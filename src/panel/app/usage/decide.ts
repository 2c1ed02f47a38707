import { evaluatePeer } from '../../domain/policy/evaluate.js';
import type { PolicySettings } from '../../domain/policy/types.js';
import { eventOfPolicy, type PeerEvent } from '../events/peer-event.js';
import type { PolicyChange, UsagePeerRow } from './usage-row.js';

/** What the policy decided for one peer: events, and the state to write (null: nothing). */
export interface Decision {
  readonly events: readonly PeerEvent[];
  readonly change: PolicyChange | null;
}

const NOTHING: Decision = { events: [], change: null };

/**
 * True when the policy can decide anything for this peer: it has a limit, an expiry or a reset
 * schedule, or it carries policy state (a policy restriction, a warning given). Others are skipped.
 */
export function isPolicyRelevant(row: UsagePeerRow): boolean {
  return (
    row.traffic_limit !== null ||
    row.download_limit !== null ||
    row.upload_limit !== null ||
    row.daily_limit !== null ||
    row.throttled_at !== null ||
    row.download_warned ||
    row.upload_warned ||
    row.daily_warned ||
    row.expiry_date !== null ||
    row.reset_schedule !== 'none' ||
    row.traffic_warned ||
    row.expiry_warned_for !== null ||
    row.subscriber_cut !== null ||
    row.restricted_by_subscriber ||
    (row.status === 'restricted' && row.restriction_reason !== 'manual')
  );
}

/** Runs the pure policy on one row; returns the change only when the state differs. */
export function decide(row: UsagePeerRow, now: Date, settings: PolicySettings): Decision {
  if (!isPolicyRelevant(row)) return NOTHING;
  const outcome = evaluatePeer(
    {
      status: row.status,
      restrictionReason: row.restriction_reason,
      trafficLimit: row.traffic_limit,
      expiryDate: row.expiry_date,
      warnThreshold: row.traffic_warn_threshold,
      usage: row.period_rx + row.period_tx,
      trafficWarned: row.traffic_warned,
      expiryWarnedFor: row.expiry_warned_for,
      resetSchedule: row.reset_schedule,
      resetAnchor: row.reset_anchor,
      periodStartedAt: row.period_started_at,
      subscriberCut: row.subscriber_cut,
      restrictedBySubscriber: row.restricted_by_subscriber,
      onLimit: row.on_limit,
      throttled: row.throttled_at !== null,
      downloadLimit: row.download_limit,
      uploadLimit: row.upload_limit,
      dailyLimit: row.daily_limit,
      // From the peer's point of view: download = what the node sent (tx).
      download: row.period_tx,
      upload: row.period_rx,
      dayUsage: row.day_rx + row.day_tx,
      dayStartedAt: row.day_started_at,
      downloadWarned: row.download_warned,
      uploadWarned: row.upload_warned,
      dailyWarned: row.daily_warned,
    },
    now,
    settings,
  );
  const n = outcome.next;
  const same =
    n.status === row.status &&
    n.restrictionReason === row.restriction_reason &&
    n.trafficWarned === row.traffic_warned &&
    n.expiryWarnedFor?.getTime() === row.expiry_warned_for?.getTime() &&
    n.periodStartedAt.getTime() === row.period_started_at.getTime() &&
    n.restrictedBySubscriber === row.restricted_by_subscriber &&
    n.throttled === (row.throttled_at !== null) &&
    n.dayStartedAt?.getTime() === row.day_started_at?.getTime() &&
    n.downloadWarned === row.download_warned &&
    n.uploadWarned === row.upload_warned &&
    n.dailyWarned === row.daily_warned &&
    !n.resetUsage &&
    !n.resetDay;
  if (same && outcome.events.length === 0) return NOTHING;
  const peer = {
    id: row.id,
    name: row.name,
    publicKey: row.public_key,
    configurationId: row.configuration_id,
    nodeId: row.node_id,
    subscriberName: row.subscriber_name,
  };
  const restricted = row.status === 'active' && n.status === 'restricted';
  const restored = row.status === 'restricted' && n.status === 'active';
  return {
    events: outcome.events.map((e) => eventOfPolicy(peer, e, now)),
    change: {
      id: row.id,
      status: n.status,
      restriction_reason: n.restrictionReason,
      restricted_at: restricted ? now : restored ? null : undefined,
      traffic_warned: n.trafficWarned,
      expiry_warned_for: n.expiryWarnedFor,
      period_started_at: n.periodStartedAt,
      reset_usage: n.resetUsage,
      restored,
      restricted_by_subscriber: n.restrictedBySubscriber,
      throttled_at:
        n.throttled === (row.throttled_at !== null) ? undefined : n.throttled ? now : null,
      day_started_at: n.dayStartedAt,
      reset_day: n.resetDay,
      download_warned: n.downloadWarned,
      upload_warned: n.uploadWarned,
      daily_warned: n.dailyWarned,
    },
  };
}

/** The row as it reads after a change was written (for callers that go on using it). */
export function applied(row: UsagePeerRow, c: PolicyChange): UsagePeerRow {
  return {
    ...row,
    status: c.status,
    restriction_reason: c.restriction_reason,
    traffic_warned: c.traffic_warned,
    expiry_warned_for: c.expiry_warned_for,
    period_started_at: c.period_started_at,
    restricted_by_subscriber: c.restricted_by_subscriber,
    ...(c.throttled_at !== undefined && { throttled_at: c.throttled_at }),
    day_started_at: c.day_started_at,
    download_warned: c.download_warned,
    upload_warned: c.upload_warned,
    daily_warned: c.daily_warned,
    ...(c.reset_day && { day_rx: 0n, day_tx: 0n }),
    // A new period forgets the agent's totals: bytes the node counted before the reset but the
    // panel had not yet read belong to the old period; the next poll takes a new baseline.
    ...(c.reset_usage && {
      period_rx: 0n,
      period_tx: 0n,
      last_total_rx: null,
      last_total_tx: null,
      totals_epoch: null,
    }),
    ...(c.restored && { last_raw_rx: 0n, last_raw_tx: 0n }),
  };
}
