/** How long `waitFor` waits, and how often it looks. */
export interface WaitOptions {
  /** Gives up after this long. Default 10 s. */
  readonly timeoutMs?: number;
  /** Pause between two checks. Default 50 ms. */
  readonly intervalMs?: number;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The one wait of the test suites: calls `check` until it returns a value other than `undefined`
 * (return `value || undefined` for a boolean) and resolves with that value, or rejects with an
 * error naming `what`, the time and the number of checks. Bounded in time and in count (at most
 * timeoutMs / intervalMs + 1 checks). An exception from `check` ends the wait at once (a process
 * that died will not become ready): catch inside `check` what should be retried. A wait whose end
 * does not matter (cleanup) ignores the rejection.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 50 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const maxChecks = Math.ceil(timeoutMs / intervalMs) + 1;
  let checks = 0;
  while (checks < maxChecks) {
    checks++;
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() >= deadline) break;
    await pause(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms (${checks} checks) waiting for ${what}`);
}
