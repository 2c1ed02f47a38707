import { evaluateSubscriber } from '../../domain/policy/evaluate-subscriber.js';
import type { PolicySettings } from '../../domain/policy/types.js';
import { eventOfSubscriberPolicy, type SubscriberEvent } from '../events/subscriber-event.js';
import type { SubscriberPolicyChange, SubscriberPolicyRow } from './subscriber-row.js';

/** What the policy decided for one subscriber. */
export interface SubscriberDecision {
  readonly events: readonly SubscriberEvent[];
  /** The state to write; null: nothing changed. */
  readonly change: SubscriberPolicyChange | null;
  /** Its peers must be decided again: it was cut off, restored, or its reason changed. */
  readonly peersFollow: boolean;
  /** Its peers' speed changed (throttled, or back at full speed): their nodes must follow. */
  readonly reshape: boolean;
}

const NOTHING: SubscriberDecision = {
  events: [],
  change: null,
  peersFollow: false,
  reshape: false,
};
const same = (a: Date | null, b: Date | null) => a?.getTime() === b?.getTime();

/** Runs the subscriber policy on one row (its usage summed); the change only when state differs. */
export function decideSubscriber(
  row: SubscriberPolicyRow,
  now: Date,
  settings: PolicySettings,
): SubscriberDecision {
  const outcome = evaluateSubscriber(
    {
      status: row.status,
      restrictionReason: row.restriction_reason,
      trafficLimit: row.traffic_limit,
      expiryDate: row.expiry_date,
      warnThreshold: row.traffic_warn_threshold,
      usage: row.usage_rx + row.usage_tx,
      trafficWarned: row.traffic_warned,
      expiryWarnedFor: row.expiry_warned_for,
      resetSchedule: row.reset_schedule,
      resetAnchor: row.reset_anchor,
      periodStartedAt: row.period_started_at,
      onHoldDays: row.on_hold_days,
      activatedAt: row.activated_at,
      onLimit: row.on_limit,
      throttled: row.throttled_at !== null,
      downloadLimit: row.download_limit,
      uploadLimit: row.upload_limit,
      dailyLimit: row.daily_limit,
      // From the peers' point of view: download = what the nodes sent (tx).
      download: row.usage_tx,
      upload: row.usage_rx,
      dayUsage: row.day_usage,
      dayStartedAt: row.day_started_at,
      downloadWarned: row.download_warned,
      uploadWarned: row.upload_warned,
      dailyWarned: row.daily_warned,
    },
    row.first_handshake_at,
    now,
    settings,
  );
  const n = outcome.next;
  const unchanged =
    n.status === row.status &&
    n.restrictionReason === row.restriction_reason &&
    n.trafficWarned === row.traffic_warned &&
    same(n.expiryWarnedFor, row.expiry_warned_for) &&
    same(n.periodStartedAt, row.period_started_at) &&
    same(n.expiryDate, row.expiry_date) &&
    same(n.activatedAt, row.activated_at) &&
    n.throttled === (row.throttled_at !== null) &&
    same(n.dayStartedAt, row.day_started_at) &&
    n.downloadWarned === row.download_warned &&
    n.uploadWarned === row.upload_warned &&
    n.dailyWarned === row.daily_warned &&
    !n.resetUsage &&
    !n.resetDay;
  if (unchanged && outcome.events.length === 0) return NOTHING;
  const wasCut = row.status === 'restricted';
  const isCut = n.status === 'restricted';
  const subscriber = { id: row.id, name: row.name };
  const wasThrottled = row.throttled_at !== null;
  return {
    events: outcome.events.map((e) => eventOfSubscriberPolicy(subscriber, e, now)),
    change: {
      id: row.id,
      status: n.status,
      restriction_reason: n.restrictionReason,
      restricted_at: !wasCut && isCut ? now : wasCut && !isCut ? null : undefined,
      traffic_warned: n.trafficWarned,
      expiry_warned_for: n.expiryWarnedFor,
      period_started_at: n.periodStartedAt,
      expiry_date: n.expiryDate,
      activated_at: n.activatedAt,
      reset_usage: n.resetUsage,
      throttled_at: n.throttled === wasThrottled ? undefined : n.throttled ? now : null,
      day_started_at: n.dayStartedAt,
      reset_day: n.resetDay,
      download_warned: n.downloadWarned,
      upload_warned: n.uploadWarned,
      daily_warned: n.dailyWarned,
    },
    peersFollow: wasCut !== isCut || (isCut && n.restrictionReason !== row.restriction_reason),
    reshape: n.throttled !== wasThrottled,
  };
}

/** The row as it reads after its change was written. */
export function appliedSubscriber(
  row: SubscriberPolicyRow,
  c: SubscriberPolicyChange,
): SubscriberPolicyRow {
  return {
    ...row,
    status: c.status,
    restriction_reason: c.restriction_reason,
    traffic_warned: c.traffic_warned,
    expiry_warned_for: c.expiry_warned_for,
    period_started_at: c.period_started_at,
    expiry_date: c.expiry_date,
    activated_at: c.activated_at,
    ...(c.throttled_at !== undefined && { throttled_at: c.throttled_at }),
    day_started_at: c.day_started_at,
    download_warned: c.download_warned,
    upload_warned: c.upload_warned,
    daily_warned: c.daily_warned,
    ...(c.reset_usage && { usage_rx: 0n, usage_tx: 0n }),
    ...(c.reset_day && { day_usage: 0n }),
  };
}
