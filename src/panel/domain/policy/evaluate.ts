import { usagePercent } from './limits.js';
import { atThreshold, firstOver, quotaReadings, type QuotaReading } from './quotas.js';
import { latestBoundary } from './reset-schedule.js';
import type {
  PolicyEvent,
  PolicyOutcome,
  PolicyPeer,
  PolicySettings,
  RestrictionReason,
} from './types.js';

const DAY_MS = 24 * 3600 * 1000;

export { isAtThreshold, isOverLimit, usagePercent } from './limits.js';

export function isExpired(expiry: Date | null, now: Date): boolean {
  return expiry !== null && now.getTime() >= expiry.getTime();
}

/** Whole days left before expiry, rounded up ("3 days" until 72 h are gone); 0 once expired. */
export function daysUntil(expiry: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiry.getTime() - now.getTime()) / DAY_MS));
}

/**
 * The policy: given a peer, its period usage and `now`, what happens. Pure and idempotent:
 * evaluating the returned state again at the same `now` decides nothing more.
 *
 * Order: a reset boundary that has passed starts a new period first; then the peer is restricted
 * when it is expired (reason `expired`, which wins) or over its limit (`traffic_limit`); a peer
 * restricted by policy is restored once no cause remains; one warning per crossing of the
 * threshold and one per expiry date entering the warning window. `manual` restrictions are never
 * changed, and restricted peers get no warnings (but a pass that jumps past both a quota's threshold
 * and its limit gives `warning` then `exceeded`). A peer whose subscriber is restricted
 * (`subscriberCut`) is cut off with it when no cause of its own holds, and comes back with it.
 *
 * Byte quotas (issue 15): the period's total, download and upload, and the day's total (its day
 * starts at local midnight). A used-up quota restricts (`traffic_limit`), or with `on_limit:
 * throttle` keeps the peer active at its throttle speed (`exceeded`, then `throttled`; back at
 * full speed with `unthrottled` once no quota is used up). An expiry and a subscriber's cut still
 * cut off a throttled peer.
 */
export function evaluatePeer(peer: PolicyPeer, now: Date, settings: PolicySettings): PolicyOutcome {
  const events: PolicyEvent[] = [];
  let usage = peer.usage;
  let download = peer.download ?? 0n;
  let upload = peer.upload ?? 0n;
  let periodStartedAt = peer.periodStartedAt;
  let trafficWarned = peer.trafficWarned;
  let resetUsage = false;

  const boundary = latestBoundary(peer.resetSchedule, peer.resetAnchor, now, settings.timezone);
  if (boundary !== null && boundary.getTime() > periodStartedAt.getTime()) {
    events.push({ type: 'reset', periodStartedAt: boundary, usageBefore: usage });
    usage = 0n;
    download = 0n;
    upload = 0n;
    periodStartedAt = boundary;
    trafficWarned = false;
    resetUsage = true;
  }

  // The day's usage: a new day (local midnight) counts from zero; a first look starts the day.
  let dayUsage = peer.dayUsage ?? 0n;
  let dayStartedAt = peer.dayStartedAt ?? null;
  let resetDay = false;
  if ((peer.dailyLimit ?? null) !== null) {
    const today = latestBoundary('daily', null, now, settings.timezone) as Date;
    if (dayStartedAt === null || today.getTime() > dayStartedAt.getTime()) {
      dayUsage = 0n;
      dayStartedAt = today;
      resetDay = true;
    }
  }

  const readings = quotaReadings(peer.trafficLimit, usage, {
    ...peer,
    download,
    upload,
    dayUsage,
  });
  const usedUp = firstOver(readings);
  const throttling = (peer.onLimit ?? 'restrict') === 'throttle';
  const expired = isExpired(peer.expiryDate, now);
  const own: Exclude<RestrictionReason, 'manual'> | null = expired
    ? 'expired'
    : usedUp !== null && !throttling
      ? 'traffic_limit'
      : null;
  // The peer's own causes first; else its subscriber's restriction (any reason, manual too).
  const viaSubscriber = own === null && (peer.subscriberCut ?? null) !== null;
  const cause: RestrictionReason | null = own ?? peer.subscriberCut ?? null;
  const bySubscriber = peer.restrictedBySubscriber ?? false;
  const tag = (by: boolean) => (by ? { bySubscriber: true as const } : {});

  // The quota whose `exceeded` event this pass adds, and where: a poll that jumps past both the
  // threshold and the limit of a quota not yet warned about gives its `warning` just before.
  let crossing: { reading: QuotaReading; at: number } | null = null;
  const exceededAt = (r: QuotaReading) => {
    events.push(exceeded(r));
    return { reading: r, at: events.length - 1 };
  };

  let status = peer.status;
  let reason = peer.restrictionReason;
  let restrictedBySubscriber = status === 'restricted' && bySubscriber;
  if (status === 'active' && cause !== null) {
    if (own === 'expired') events.push({ type: 'expired', expiryDate: peer.expiryDate as Date });
    else if (own === 'traffic_limit') crossing = exceededAt(usedUp as QuotaReading);
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

  // Throttled: active and a quota used up with `on_limit: throttle`; restricted is never throttled.
  let throttled = peer.throttled ?? false;
  const throttleCause = status === 'active' && throttling ? usedUp : null;
  if (throttleCause !== null && !throttled) {
    crossing = exceededAt(throttleCause);
    events.push({ type: 'throttled', quota: throttleCause.quota });
    throttled = true;
  } else if (throttled && throttleCause === null) {
    if (status === 'active') events.push({ type: 'unthrottled' });
    throttled = false;
  }

  const warn = (r: QuotaReading, warned: boolean): boolean => {
    if (!atThreshold(r, peer.warnThreshold)) return false;
    if (warned) return true;
    if (crossing?.reading === r) events.splice(crossing.at, 0, warning(r));
    else if (status === 'active' && !throttled && usedUp === null) events.push(warning(r));
    return true;
  };
  const [total, down, up, day] = readings as [
    QuotaReading,
    QuotaReading,
    QuotaReading,
    QuotaReading,
  ];
  trafficWarned = warn(total, trafficWarned);
  const downloadWarned = warn(down, peer.downloadWarned ?? false);
  const uploadWarned = warn(up, peer.uploadWarned ?? false);
  const dailyWarned = warn(day, resetDay ? false : (peer.dailyWarned ?? false));

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
      throttled,
      dayStartedAt,
      resetDay,
      downloadWarned,
      uploadWarned,
      dailyWarned,
    },
  };
}

/** The `exceeded` event of a used-up quota (`quota` named unless it is the period's total). */
function exceeded(r: QuotaReading): PolicyEvent {
  return {
    type: 'exceeded',
    usage: r.usage,
    limit: r.limit as bigint,
    ...(r.quota !== 'traffic' && { quota: r.quota }),
  };
}

/** The `warning` event of a quota at its threshold. */
function warning(r: QuotaReading): PolicyEvent {
  return {
    type: 'warning',
    usage: r.usage,
    limit: r.limit as bigint,
    percent: usagePercent(r.usage, r.limit) as number,
    ...(r.quota !== 'traffic' && { quota: r.quota }),
  };
}
