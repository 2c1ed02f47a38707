/**
 * Slows down repeated failed sign-ins, per username and per client address: after 5 failures in
 * a window, each further attempt must wait a delay that doubles per failure (1 s, 2 s, 4 s … up
 * to 15 min). An attempt is counted as a failure when it is reserved, before its password is
 * checked, so attempts sent at once cannot all pass; a success clears the key. Pure state with
 * an explicit clock.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly maxDelayMs = 15 * 60_000,
    private readonly windowMs = 60 * 60_000,
  ) {}

  /** Milliseconds the caller must still wait before trying `keys` again; 0 when allowed. */
  retryAfterMs(keys: readonly string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const f = this.failures.get(key);
      if (!f) continue;
      if (now - f.last > this.windowMs) {
        this.failures.delete(key);
        continue;
      }
      const over = f.count - this.freeAttempts;
      if (over < 0) continue;
      const delay = Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(over, 30));
      wait = Math.max(wait, f.last + delay - now);
    }
    return Math.max(0, wait);
  }

  /**
   * Takes an attempt for `keys`: 0 when allowed (the attempt is then counted as a failure until
   * `succeed`), else the milliseconds to wait, and nothing is counted.
   */
  reserve(keys: readonly string[], now: number): number {
    const wait = this.retryAfterMs(keys, now);
    if (wait === 0) this.fail(keys, now);
    return wait;
  }

  fail(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const f = this.failures.get(key);
      this.failures.set(key, { count: (f?.count ?? 0) + 1, last: now });
    }
    if (this.failures.size > 100_000) this.prune(now);
  }

  succeed(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [k, f] of this.failures) if (now - f.last > this.windowMs) this.failures.delete(k);
  }
}
