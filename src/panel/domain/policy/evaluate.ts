import { latestBoundary } from './reset-schedule.js';
import type {
  PolicyEvent,
  PolicyOutcome,
  PolicyPeer,
  PolicySettings,
  RestrictionReason,
} from './types.js';

const DAY_MS = 24 * 3600 * 1000;

/** True when the usage has reached the limit (a limit of 0 is reached at once). */
export function isOverLimit(usage: bigint, limit: bigint | null): boolean {
  return limit !== null && usage >= limit;
}

/** True when usage is at or above `threshold` percent of the limit. */
export function isAtThreshold(usage: bigint, limit: bigint | null, threshold: number): boolean {
  return limit !== null && usage * 100n >= limit * BigInt(threshold);
}

export function isExpired(expiry: Date | null, now: Date): boolean {
  return expiry !== null && now.getTime() >= expiry.getTime();
}

/** Whole days left before expiry, rounded up ("3 days" until 72 h are gone); 0 once expired. */
export function daysUntil(expiry: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiry.getTime() - now.getTime()) / DAY_MS));
}

/** Usage in percent of the limit, one decimal; null without a limit. */
export function usagePercent(usage: bigint, limit: bigint | null): number | null {
  if (limit === null) return null;
  if (limit === 0n) return 100;
  return Number((usage * 1000n) / limit) / 10;
}

/**
 * The policy: given a peer, its period usage and `now`, what happens. Pure and idempotent:
 * evaluating the returned state again at the same `now` decides nothing more.
 *
 * Order: a reset boundary that has passed starts a new period first; then the peer is restricted
 * when it is expired (reason `expired`, which wins) or over its limit (`traffic_limit`); a peer
 * restricted by policy is restored once no cause remains; one warning per crossing of the
 * threshold and one per expiry date entering the warning window. `manual` restrictions are never
 * changed, and restricted peers get no warnings. A peer whose subscriber is restricted
 * (`subscriberCut`) is cut off with it when no cause of its own holds, and comes back with it.
 */
export function evaluatePeer(peer: PolicyPeer, now: Date, settings: PolicySettings): PolicyOutcome {
  const events: PolicyEvent[] = [];
  let usage = peer.usage;
  let periodStartedAt = peer.periodStartedAt;
  let trafficWarned = peer.trafficWarned;
  let resetUsage = false;

  const boundary = latestBoundary(peer.resetSchedule, peer.resetAnchor, now, settings.timezone);
  if (boundary !== null && boundary.getTime() > periodStartedAt.getTime()) {
    events.push({ type: 'reset', periodStartedAt: boundary, usageBefore: usage });
    usage = 0n;
    periodStartedAt = boundary;
    trafficWarned = false;
    resetUsage = true;
  }

  const over = isOverLimit(usage, peer.trafficLimit);
  const expired = isExpired(peer.expiryDate, now);
  const own: Exclude<RestrictionReason, 'manual'> | null = expired
    ? 'expired'
    : over
      ? 'traffic_limit'
      : null;
  // The peer's own causes first; else its subscriber's restriction (any reason, manual too).
  const viaSubscriber = own === null && (peer.subscriberCut ?? null) !== null;
  const cause: RestrictionReason | null = own ?? peer.subscriberCut ?? null;
  const bySubscriber = peer.restrictedBySubscriber ?? false;
  const tag = (by: boolean) => (by ? { bySubscriber: true as const } : {});

  let status = peer.status;
  let reason = peer.restrictionReason;
  let restrictedBySubscriber = status === 'restricted' && bySubscriber;
  if (status === 'active' && cause !== null) {
    if (own === 'expired') events.push({ type: 'expired', expiryDate: peer.expiryDate as Date });
    else if (own === 'traffic_limit')
      events.push({ type: 'exceeded', usage, limit: peer.trafficLimit as bigint });
    events.push({ type: 'restricted', reason: cause, ...tag(viaSubscriber) });
    status = 'restricted';
    reason = cause;
    restrictedBySubscriber = viaSubscriber;
  } else if (
    status === 'restricted' &&
    reason !== null &&
    (reason !== 'manual' || bySubscriber) &&
    (cause !== reason || viaSubscriber !== bySubscriber)
  ) {
    if (cause === null) {
      events.push({ type: 'restored', previousReason: reason, ...tag(bySubscriber) });
      status = 'active';
      reason = null;
      restrictedBySubscriber = false;
    } else {
      // Still cut off, for the other cause now.
      events.push({ type: 'restricted', reason: cause, ...tag(viaSubscriber) });
      reason = cause;
      restrictedBySubscriber = viaSubscriber;
    }
  }

  const atThreshold = isAtThreshold(usage, peer.trafficLimit, peer.warnThreshold);
  if (!atThreshold) trafficWarned = false;
  else if (!trafficWarned) {
    trafficWarned = true;
    if (status === 'active' && !over)
      events.push({
        type: 'warning',
        usage,
        limit: peer.trafficLimit as bigint,
        percent: usagePercent(usage, peer.trafficLimit) as number,
      });
  }

  let expiryWarnedFor = peer.expiryWarnedFor;
  const expiry = peer.expiryDate;
  const soon =
    expiry !== null && !expired && expiry.getTime() - now.getTime() <= settings.expiryWarningMs;
  if (expiry === null || (!soon && !expired)) expiryWarnedFor = null;
  else if (soon && expiryWarnedFor?.getTime() !== expiry.getTime()) {
    expiryWarnedFor = expiry;
    if (status === 'active')
      events.push({ type: 'expiring_soon', expiryDate: expiry, daysLeft: daysUntil(expiry, now) });
  }

  return {
    events,
    next: {
      status,
      restrictionReason: reason,
      trafficWarned,
      expiryWarnedFor,
      periodStartedAt,
      restrictedBySubscriber,
      resetUsage,
    },
  };
}
