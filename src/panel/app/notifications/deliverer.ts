import type { Logger } from 'pino';
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  type RetryPolicy,
} from '../../domain/notifications/retry-schedule.js';
import type { DeliveryChannel } from '../../domain/vocabulary.js';
import type { ClaimedDelivery, DeliveryQueue, DeliverySender, NextState } from './ports.js';

export interface DelivererDeps {
  readonly queue: DeliveryQueue;
  readonly senders: Readonly<Record<DeliveryChannel, DeliverySender>>;
  /** This panel's instance id (stable across restarts of the same installation). */
  readonly owner: string;
  readonly logger: Logger;
  readonly now: () => Date;
  /** In [0, 1): the retries' jitter. */
  readonly random?: () => number;
  readonly retry?: RetryPolicy;
  /** Attempts in flight at most (default 8). */
  readonly concurrency?: number;
  /** How often the outbox is looked at when nothing woke the deliverer (default 1 s). */
  readonly pollMs?: number;
  /**
   * How long a claim holds a row (default 30 s): longer than an attempt may take (its timeout is
   * 10 s), so no other panel sends it meanwhile; a panel that died frees its rows when it starts
   * again (`releaseLeases`), others wait for the lease to run out.
   */
  readonly leaseMs?: number;
  /** Told of each attempt (metrics). */
  readonly onAttempt?: (channel: DeliveryChannel, ok: boolean) => void;
}

/**
 * Sends what the outbox holds: claims due rows (a lease per row), tries each once through its
 * channel's sender, records one line per attempt and the next state (delivered; pending again
 * at the retry policy's time; failed after 24 h). At least once: a panel that dies between
 * sending and recording sends again after its restart.
 */
export class Deliverer {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pumping: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: DelivererDeps) {}

  private get concurrency() {
    return this.deps.concurrency ?? 8;
  }

  /** Frees this instance's old leases, then starts pumping. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const freed = await this.deps.queue.releaseLeases(this.deps.owner);
      if (freed > 0)
        this.deps.logger.info(
          { deliveries: freed },
          'notifications: took back deliveries in flight at the last stop',
        );
    } catch (err) {
      this.deps.logger.error({ err }, 'notifications: could not take back old leases');
    }
    this.nudge();
  }

  /** Stops claiming; waits for the attempts in flight (they record their outcome). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.pumping;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Looks at the outbox now (something was just written). */
  nudge(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.again) {
        this.again = false;
        this.nudge();
      } else this.plan();
    });
  }

  /** Claims and starts what is due, up to the concurrency. */
  private async pump(): Promise<void> {
    try {
      while (this.running && this.inFlight.size < this.concurrency) {
        const now = this.deps.now();
        const batch = await this.deps.queue.claimDue(
          this.deps.owner,
          now,
          new Date(now.getTime() + (this.deps.leaseMs ?? 30_000)),
          this.concurrency - this.inFlight.size,
        );
        for (const d of batch) {
          const run = this.attempt(d).finally(() => {
            this.inFlight.delete(d.id);
            this.nudge();
          });
          this.inFlight.set(d.id, run);
        }
        if (batch.length === 0) break;
      }
    } catch (err) {
      this.deps.logger.error({ err }, 'notifications: could not claim deliveries');
    }
  }

  private plan(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.nudge(), this.deps.pollMs ?? 1000);
    this.timer.unref();
  }

  /** One attempt of one delivery, and its record. */
  private async attempt(d: ClaimedDelivery): Promise<void> {
    const n = d.attempts + 1;
    const sender = this.deps.senders[d.channel];
    const outcome = await sender.send(d).catch((err: unknown) => ({
      ok: false,
      message: `could not send: ${err instanceof Error ? err.message : String(err)}`,
    }));
    const at = this.deps.now();
    let next: NextState;
    let line: string;
    if (outcome.ok) {
      next = { status: 'delivered', finishedAt: at };
      line = `Attempt #${n}: delivered. ${outcome.message}`;
    } else {
      const retryAt = nextAttemptAt(
        n,
        d.createdAt,
        at,
        (this.deps.random ?? Math.random)(),
        this.deps.retry ?? DEFAULT_RETRY_POLICY,
      );
      next = retryAt
        ? { status: 'pending', nextAttemptAt: retryAt }
        : { status: 'failed', finishedAt: at };
      line = `Attempt #${n}: ${outcome.message}; ${
        retryAt ? `next attempt at ${retryAt.toISOString()}` : 'giving up: failed'
      }`;
    }
    this.deps.onAttempt?.(d.channel, outcome.ok);
    const fields = {
      delivery: d.id,
      event_id: d.eventId,
      action: d.action,
      channel: d.channel,
      webhook_id: d.webhookId ?? undefined,
      attempt: n,
      status: next.status,
    };
    if (outcome.ok) this.deps.logger.info(fields, 'notification delivered');
    else
      this.deps.logger.warn({ ...fields, reason: outcome.message }, 'notification attempt failed');
    try {
      const kept = await this.deps.queue.finishAttempt(
        this.deps.owner,
        d.id,
        { at, ok: outcome.ok, message: line },
        next,
      );
      if (!kept)
        this.deps.logger.warn(
          fields,
          'notification: the lease ran out before the attempt was recorded',
        );
    } catch (err) {
      // The lease runs out and the row is tried again: at least once, never lost.
      this.deps.logger.error({ ...fields, err }, 'notification: could not record the attempt');
    }
  }
}
