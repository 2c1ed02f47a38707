/** How a delivery that did not answer 2xx is tried again. */
export interface RetryPolicy {
  /** Longest wait before the first retry (the wait is jittered below it). */
  readonly firstDelayMs: number;
  /** Longest wait between two attempts. */
  readonly maxDelayMs: number;
  /** After this long since the delivery was written, it fails instead of waiting again. */
  readonly giveUpAfterMs: number;
}

/** First retry within 4 s, then doubling (with jitter) up to 10 minutes apart, for 24 h. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 4_000,
  maxDelayMs: 10 * 60_000,
  giveUpAfterMs: 24 * 3600_000,
};

/**
 * When to try again after the `attempts`-th failed attempt (1 = the first attempt failed), or
 * null to give up (the next wait would end after the delivery's 24 h). The wait doubles with each
 * attempt up to the cap and is jittered to 50–100 % of it (`random` in [0, 1)), so deliveries that
 * failed together do not come back together.
 */
export function nextAttemptAt(
  attempts: number,
  createdAt: Date,
  now: Date,
  random: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Date | null {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** exponent);
  const wait = Math.round(ceiling * (0.5 + Math.min(Math.max(random, 0), 1) / 2));
  const at = now.getTime() + wait;
  if (at > createdAt.getTime() + policy.giveUpAfterMs) return null;
  return new Date(at);
}
