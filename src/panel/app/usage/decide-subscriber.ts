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
}

const NOTHING: SubscriberDecision = { events: [], change: null, peersFollow: false };
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
    !n.resetUsage;
  if (unchanged && outcome.events.length === 0) return NOTHING;
  const wasCut = row.status === 'restricted';
  const isCut = n.status === 'restricted';
  const subscriber = { id: row.id, name: row.name };
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
    },
    peersFollow: wasCut !== isCut || (isCut && n.restrictionReason !== row.restriction_reason),
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
    ...(c.reset_usage && { usage_rx: 0n, usage_tx: 0n }),
  };
}
