/** What an admin allows a reseller and its balance left (null: not limited). */
export interface ResellerAllowance {
  readonly maxSubscribers: number | null;
  readonly maxTrafficBytes: bigint | null;
  readonly maxExpiryDays: number | null;
  readonly balanceBytes: bigint | null;
  readonly balanceDays: number | null;
}

/** What a reseller has handed out (its subscribers, the sum of their traffic limits). */
export interface ResellerUsed {
  readonly subscribers: number;
  readonly trafficBytes: bigint;
}

/** A subscriber before (null when being created) and after the change, as limits count it. */
export interface SubscriberTerms {
  readonly trafficLimit: bigint | null;
  readonly expiryDate: Date | null;
}

export type ResellerSpend =
  | { readonly ok: true; readonly bytes: bigint; readonly days: number }
  | { readonly ok: false; readonly field: string; readonly message: string };

const DAY_MS = 86_400_000;

/** Whole days from `now` until `date`, rounded up (0 for a date passed). */
export const daysUntil = (date: Date, now: Date): number =>
  Math.max(0, Math.ceil((date.getTime() - now.getTime()) / DAY_MS));

/**
 * Whether a reseller may create (`before` null) or change a subscriber to `after`, and what it
 * spends of its balance: the traffic limit added, in bytes, and the days until expiry added
 * (rounded up). Refused, naming the field and what is left, when a limit would be passed or
 * the balance would go below zero. Limits that count bytes (or days) need a limit (or a date).
 */
export function decideResellerSpend(
  allowance: ResellerAllowance,
  used: ResellerUsed,
  before: SubscriberTerms | null,
  after: SubscriberTerms,
  now: Date,
): ResellerSpend {
  const refuse = (field: string, message: string): ResellerSpend => ({ ok: false, field, message });
  if (
    before === null &&
    allowance.maxSubscribers !== null &&
    used.subscribers >= allowance.maxSubscribers
  )
    return refuse(
      'name',
      `you may have ${allowance.maxSubscribers} subscribers, and have ${used.subscribers}`,
    );
  const countsBytes = allowance.maxTrafficBytes !== null || allowance.balanceBytes !== null;
  if (countsBytes && after.trafficLimit === null)
    return refuse('traffic_limit', 'required: your limits count bytes');
  const countsDays = allowance.maxExpiryDays !== null || allowance.balanceDays !== null;
  if (countsDays && after.expiryDate === null)
    return refuse('expiry_date', 'required: your limits count days');
  const oldBytes = before?.trafficLimit ?? 0n;
  const newBytes = after.trafficLimit ?? 0n;
  const bytes = newBytes > oldBytes ? newBytes - oldBytes : 0n;
  if (allowance.maxTrafficBytes !== null) {
    const total = used.trafficBytes - oldBytes + newBytes;
    if (total > allowance.maxTrafficBytes)
      return refuse(
        'traffic_limit',
        `your subscribers' limits may add up to ${allowance.maxTrafficBytes} bytes; ${allowance.maxTrafficBytes - (used.trafficBytes - oldBytes)} are left`,
      );
  }
  const newDays = after.expiryDate === null ? 0 : daysUntil(after.expiryDate, now);
  const oldDays = before?.expiryDate == null ? 0 : daysUntil(before.expiryDate, now);
  const days = Math.max(0, newDays - oldDays);
  if (allowance.maxExpiryDays !== null && newDays > allowance.maxExpiryDays)
    return refuse('expiry_date', `at most ${allowance.maxExpiryDays} days from now`);
  if (allowance.balanceBytes !== null && bytes > allowance.balanceBytes)
    return refuse(
      'traffic_limit',
      `needs ${bytes} bytes of your balance; ${allowance.balanceBytes} are left`,
    );
  if (allowance.balanceDays !== null && days > allowance.balanceDays)
    return refuse(
      'expiry_date',
      `needs ${days} days of your balance; ${allowance.balanceDays} are left`,
    );
  return { ok: true, bytes, days };
}
