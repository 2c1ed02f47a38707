import type { OnLimitAction, SubscriberStatus } from '../vocabulary.js';
import { evaluatePeer } from './evaluate.js';
import type { GranularQuotas } from './quotas.js';
import type {
  PolicyEvent,
  PolicyPeer,
  PolicySettings,
  PolicyState,
  ResetSchedule,
  RestrictionReason,
} from './types.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * What the policy needs to know of a subscriber: a peer's quota fields over the sum of its peers
 * (the granular quotas' usage too: its peers' download, upload and day on every node).
 */
export interface PolicySubscriber extends GranularQuotas {
  readonly status: SubscriberStatus;
  readonly restrictionReason: RestrictionReason | null;
  readonly trafficLimit: bigint | null;
  readonly expiryDate: Date | null;
  readonly warnThreshold: number;
  /** Bytes its peers used in its period, on every node. */
  readonly usage: bigint;
  readonly trafficWarned: boolean;
  readonly expiryWarnedFor: Date | null;
  readonly resetSchedule: ResetSchedule;
  readonly resetAnchor: number | null;
  readonly periodStartedAt: Date;
  /** On hold for this many days after the first handshake; null = not on hold. */
  readonly onHoldDays: number | null;
  /** When the hold ended (the first handshake); null = not yet. */
  readonly activatedAt: Date | null;
  /** Over a byte quota: its peers cut off (`restrict`, the default) or slowed down (`throttle`). */
  readonly onLimit?: OnLimitAction;
  /** Its peers are throttled now (active, at its throttle speed). */
  readonly throttled?: boolean;
  /** Start of the day `dayUsage` counts; null = not counted yet (the day starts now). */
  readonly dayStartedAt?: Date | null;
  readonly downloadWarned?: boolean;
  readonly uploadWarned?: boolean;
  readonly dailyWarned?: boolean;
}

/** A subscriber decision: the peer's (throttled: all its peers are), plus the end of a hold. */
export type SubscriberPolicyEvent =
  | PolicyEvent
  | { readonly type: 'activated'; readonly handshakeAt: Date; readonly expiryDate: Date };

/** The peer's state fields a subscriber does not have. */
type PeerOnly = 'status' | 'restrictedBySubscriber';

export interface SubscriberPolicyState extends Omit<PolicyState, PeerOnly> {
  readonly status: SubscriberStatus;
  readonly expiryDate: Date | null;
  readonly activatedAt: Date | null;
}

export interface SubscriberOutcome {
  readonly events: readonly SubscriberPolicyEvent[];
  readonly next: SubscriberPolicyState;
}

/** True while the subscriber waits for its first handshake (its date does not run). */
export function isOnHold(s: Pick<PolicySubscriber, 'onHoldDays' | 'activatedAt'>): boolean {
  return s.onHoldDays !== null && s.activatedAt === null;
}

/**
 * The policy of a subscriber: the peer's policy (`evaluatePeer`) applied to the sum of its peers'
 * usage, so limit, date, warnings, resets and restores follow the same rules. On hold
 * (`onHoldDays` set, not yet activated): the date does not run; `firstHandshakeAt` (the earliest
 * handshake of any of its peers since it was put on hold, null = none yet) ends the hold: the
 * expiry becomes that handshake + `onHoldDays` days (event `activated`), then the policy runs
 * with it. A subscriber restricted while on hold comes back `on_hold`. The granular quotas
 * (download, upload, the day) and `on_limit: throttle` work as for a peer, over the sums: a
 * throttled subscriber stays active (its peers stay on their nodes at its throttle speed). Pure
 * and idempotent.
 */
export function evaluateSubscriber(
  s: PolicySubscriber,
  firstHandshakeAt: Date | null,
  now: Date,
  settings: PolicySettings,
): SubscriberOutcome {
  const events: SubscriberPolicyEvent[] = [];
  let expiryDate = s.expiryDate;
  let activatedAt = s.activatedAt;
  if (isOnHold(s) && firstHandshakeAt !== null) {
    activatedAt = firstHandshakeAt;
    expiryDate = new Date(firstHandshakeAt.getTime() + (s.onHoldDays as number) * DAY_MS);
    events.push({ type: 'activated', handshakeAt: firstHandshakeAt, expiryDate });
  }
  const held = isOnHold({ onHoldDays: s.onHoldDays, activatedAt });
  const outcome = evaluatePeer(
    {
      status: s.status === 'restricted' ? 'restricted' : 'active',
      restrictionReason: s.restrictionReason,
      trafficLimit: s.trafficLimit,
      expiryDate: held ? null : expiryDate,
      warnThreshold: s.warnThreshold,
      usage: s.usage,
      trafficWarned: s.trafficWarned,
      expiryWarnedFor: s.expiryWarnedFor,
      resetSchedule: s.resetSchedule,
      resetAnchor: s.resetAnchor,
      periodStartedAt: s.periodStartedAt,
      ...granularOf(s),
    },
    now,
    settings,
  );
  const n = outcome.next;
  events.push(...outcome.events);
  return {
    events,
    next: {
      restrictionReason: n.restrictionReason,
      trafficWarned: n.trafficWarned,
      expiryWarnedFor: n.expiryWarnedFor,
      periodStartedAt: n.periodStartedAt,
      resetUsage: n.resetUsage,
      throttled: n.throttled,
      dayStartedAt: n.dayStartedAt,
      resetDay: n.resetDay,
      downloadWarned: n.downloadWarned,
      uploadWarned: n.uploadWarned,
      dailyWarned: n.dailyWarned,
      status: n.status === 'restricted' ? 'restricted' : held ? 'on_hold' : 'active',
      expiryDate,
      activatedAt,
    },
  };
}

/** The granular quotas and throttle fields, as evaluatePeer takes them (absent: its defaults). */
function granularOf(s: PolicySubscriber): Partial<PolicyPeer> {
  const { downloadLimit, uploadLimit, dailyLimit, download, upload, dayUsage, dayStartedAt } = s;
  const { onLimit, throttled, downloadWarned, uploadWarned, dailyWarned } = s;
  return {
    downloadLimit,
    uploadLimit,
    dailyLimit,
    download,
    upload,
    dayUsage,
    dayStartedAt,
    onLimit,
    throttled,
    downloadWarned,
    uploadWarned,
    dailyWarned,
  };
}
