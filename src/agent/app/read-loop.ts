import type { Logger } from 'pino';
import { enforceLocked } from './enforce.js';
import type { NodeLedger } from './node-ledger.js';
import type { AgentDeps } from './ports.js';
import { isNoDevice } from './wg-errors.js';

export interface ReadLoopOptions {
  /** Time between readings of every interface's counters. */
  readonly intervalMs: number;
  /** The totals file is saved at least this often (when something changed). */
  readonly flushMs: number;
  readonly now: () => number;
  readonly log: Pick<Logger, 'warn'>;
}

/**
 * Reads every managed interface's counters each interval (the cheap `wg show IF transfer`), under
 * the interface's lock; enforces the allowances while the panel is away; saves the totals at
 * least every `flushMs`. One tick at a time: a slow one delays the next, never overlaps it.
 */
export class ReadLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastFlush = 0;
  private readonly failing = new Set<string>();

  constructor(
    private readonly deps: AgentDeps,
    private readonly ledger: NodeLedger,
    private readonly o: ReadLoopOptions,
  ) {}

  /** Starts ticking (the first tick at once). */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops ticking; reads once more and saves, so a clean stop loses nothing. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.tick().catch((e: unknown) =>
      this.o.log.warn({ err: e }, 'last counter read failed'),
    );
    await this.ledger.flush();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const started = this.o.now();
      this.running = this.tick()
        .then(async () => {
          if (this.o.now() - this.lastFlush >= this.o.flushMs) {
            this.lastFlush = this.o.now();
            await this.ledger.flush();
          }
        })
        .catch((e: unknown) => this.o.log.warn({ err: e }, 'counter read loop failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped)
            this.schedule(Math.max(0, this.o.intervalMs - (this.o.now() - started)));
        });
    }, delayMs);
  }

  /** One reading of every managed interface (and enforcement). */
  async tick(): Promise<void> {
    const { deps, ledger } = this;
    const names = (await (deps.listInterfaces ?? (() => deps.wg.interfaces()))()).filter(
      (n) => !deps.onlyInterfaces || deps.onlyInterfaces.has(n),
    );
    const listed = new Set(names);
    // Known to the ledger but no longer running (taken down by anyone): counters restart.
    for (const name of ledger.counters.interfaces.keys())
      if (!listed.has(name)) ledger.counters.interfaceGone(name);
    const shaper = deps.shaper ?? null;
    if (shaper)
      for (const name of shaper.interfaces())
        if (!listed.has(name)) await deps.lock.run(name, () => shaper.sync(name, null));
    for (const name of names) {
      // wireguard-go lists the sockets of every namespace: only this namespace's links count.
      const instance = await deps.links.instance(name);
      if (instance === null) {
        if (shaper?.shapeOf(name)) await deps.lock.run(name, () => shaper.sync(name, null));
        continue;
      }
      await deps.lock.run(name, () => this.readOne(name, instance));
    }
  }

  private async readOne(name: string, instance: string): Promise<void> {
    // A re-created interface (another ifindex) or an agent restart: its rate limits again.
    await this.deps.shaper?.sync(name, instance);
    try {
      const totals = await this.ledger.counters.readLocked(name);
      this.failing.delete(name);
      if (totals)
        await enforceLocked(this.deps, this.ledger, name, totals, this.o.now(), this.o.log);
    } catch (e) {
      if (isNoDevice(e)) return;
      // Once per failure streak, not every second.
      if (!this.failing.has(name))
        this.o.log.warn({ interface: name, err: (e as Error).message }, 'could not read counters');
      this.failing.add(name);
    }
  }
}
