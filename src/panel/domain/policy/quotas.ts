import type {
  PeerStatus,
  QuotaKind,
  ShownPeerStatus,
  ShownSubscriberStatus,
  SubscriberStatus,
} from '../vocabulary.js';
import { isAtThreshold, isOverLimit } from './limits.js';
import { latestBoundary } from './reset-schedule.js';

/** One byte quota of a peer at this moment: what it allows and what was used against it. */
export interface QuotaReading {
  readonly quota: QuotaKind;
  readonly usage: bigint;
  readonly limit: bigint | null;
}

/** The granular quotas of a peer (issue 15), all optional: absent = none, nothing used. */
export interface GranularQuotas {
  /** Bytes per period the node may send the peer (its tx). */
  readonly downloadLimit?: bigint | null;
  /** Bytes per period the node may receive from the peer (its rx). */
  readonly uploadLimit?: bigint | null;
  /** Bytes (rx + tx) per calendar day. */
  readonly dailyLimit?: bigint | null;
  /** The period's download (the node's tx) and upload (the node's rx). */
  readonly download?: bigint;
  readonly upload?: bigint;
  /** Bytes (rx + tx) since the day began. */
  readonly dayUsage?: bigint;
}

/**
 * Every quota of a peer, in the order a cause is named: the period's total first, then each
 * direction, then the day.
 */
export function quotaReadings(
  trafficLimit: bigint | null,
  usage: bigint,
  q: GranularQuotas,
): readonly QuotaReading[] {
  return [
    { quota: 'traffic', usage, limit: trafficLimit },
    { quota: 'download', usage: q.download ?? 0n, limit: q.downloadLimit ?? null },
    { quota: 'upload', usage: q.upload ?? 0n, limit: q.uploadLimit ?? null },
    { quota: 'daily', usage: q.dayUsage ?? 0n, limit: q.dailyLimit ?? null },
  ];
}

/** The first quota used up, or null. */
export function firstOver(readings: readonly QuotaReading[]): QuotaReading | null {
  return readings.find((r) => isOverLimit(r.usage, r.limit)) ?? null;
}

/** True when this quota is at or above `threshold` percent. */
export function atThreshold(r: QuotaReading, threshold: number): boolean {
  return isAtThreshold(r.usage, r.limit, threshold);
}

/**
 * The day's usage as of `now`: what was counted since `dayStartedAt`, or 0 once a new day began
 * in `zone` (the policy zeroes it at its next pass) or before the day was first counted.
 */
export function dayUsageAt(
  counted: bigint,
  dayStartedAt: Date | null,
  now: Date,
  zone: string,
): bigint {
  if (dayStartedAt === null) return 0n;
  const today = latestBoundary('daily', null, now, zone) as Date;
  return today.getTime() > dayStartedAt.getTime() ? 0n : counted;
}

/** A peer's status as shown: an active peer that is throttled shows `throttled`. */
export function shownStatus(status: PeerStatus, throttled: boolean): ShownPeerStatus {
  return status === 'active' && throttled ? 'throttled' : status;
}

/** A subscriber's status as shown: `throttled` while active at its throttle speed. */
export function shownSubscriberStatus(s: {
  readonly status: SubscriberStatus;
  readonly throttled_at: Date | null;
}): ShownSubscriberStatus {
  return s.status === 'active' && s.throttled_at !== null ? 'throttled' : s.status;
}

/**
 * The speed a node shapes one direction of a peer to (bit/s, null = not shaped): its speed limit,
 * or while throttled the throttle speed when that is slower (a direction without a throttle speed
 * keeps its limit).
 */
export function shapedSpeed(
  limit: bigint | null,
  throttle: bigint | null,
  throttled: boolean,
): bigint | null {
  return throttled ? slower(limit, throttle) : limit;
}

/**
 * The slower of two speeds (bit/s, null = not shaped): a throttled direction's limit and throttle,
 * or a subscriber's peer's own speed and its subscriber's.
 */
export function slower(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
