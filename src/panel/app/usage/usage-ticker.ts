import type { Logger } from 'pino';

export interface TickerDeps {
  /** One pass of the policy without traffic (expiry, resets). */
  readonly policyTick: () => Promise<unknown>;
  /** The earliest expiry ahead, to wake up right then. */
  readonly nextExpiry: () => Promise<Date | null>;
  /** Rollups and retention. */
  readonly maintain: () => Promise<unknown>;
  readonly now: () => Date;
  readonly logger: Logger;
  /**
   * Longest wait between policy passes, read after each pass (a changed setting applies from the
   * next pass on). Default 30 s (the seed's 60 s is the ceiling).
   */
  readonly maxIntervalMs?: () => number;
  /** Between sample maintenance runs. Default 60 s. */
  readonly maintainIntervalMs?: number;
}

/**
 * The usage area's background work: a policy pass at least every `maxIntervalMs()`, and sooner when
 * a peer's expiry date falls earlier (so it is cut at expiry, not up to a minute later); sample
 * rollups and retention every minute. One pass at a time; `stop` waits for the one in flight.
 */
export class UsageTicker {
  #timer: NodeJS.Timeout | undefined;
  #maintainTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(private readonly deps: TickerDeps) {}

  start(): void {
    this.#stopped = false;
    this.#schedule(1000);
    const every = this.deps.maintainIntervalMs ?? 60_000;
    this.#maintainTimer = setInterval(() => {
      this.deps.maintain().catch((err: unknown) => {
        this.deps.logger.warn({ err }, 'usage sample maintenance failed');
      });
    }, every);
    this.#maintainTimer.unref();
  }

  /**
   * Re-plans the next policy pass now (after an API change: a new expiry date may fall before
   * the pass already planned). Ignored while a pass runs or when stopped.
   */
  nudge(): void {
    if (this.#stopped || this.#running) return;
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#maintainTimer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#pass().finally(() => (this.#running = undefined));
    }, ms);
    this.#timer.unref();
  }

  async #pass(): Promise<void> {
    let next: Date | null = null;
    try {
      await this.deps.policyTick(); // re-reads the settings: the interval below is the fresh one
      next = await this.deps.nextExpiry();
    } catch (err) {
      this.deps.logger.warn({ err }, 'policy tick failed');
    }
    const max = this.deps.maxIntervalMs?.() ?? 30_000;
    this.#schedule(
      next ? Math.min(max, Math.max(200, next.getTime() - this.deps.now().getTime() + 50)) : max,
    );
  }
}
