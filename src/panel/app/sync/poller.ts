import type { Logger } from 'pino';
import { agentFailure, isNodeDown, type FleetAgent } from '../nodes/fleet-agent.js';
import { backoffDelay } from './backoff.js';
import type { ConfigurationSync } from './configuration-sync.js';
import { Limiter } from './limiter.js';
import { isLeaseLost } from '../cluster/lease-lost.js';
import type { Fence } from '../cluster/ports.js';
import type { SyncNode, SyncStore } from './sync-store.js';

/** What the poller reports, for metrics. */
export interface PollObserver {
  /** `failure`: how a failed poll failed (`pin_mismatch`: the agent's certificate is not the pinned one). */
  nodePolled(node: string, ok: boolean, seconds: number, failure?: string): void;
  cycleDone(seconds: number): void;
  nodeForgotten(node: string): void;
}

export interface PollerDeps {
  readonly store: SyncStore;
  readonly agentOf: (node: SyncNode) => FleetAgent;
  readonly sync: ConfigurationSync;
  readonly logger: Logger;
  readonly now: () => Date;
  /**
   * Time between two cycles, read when each cycle is planned: a changed setting applies from the
   * next cycle on, without a restart.
   */
  readonly intervalMs: () => number;
  readonly concurrency: number;
  /** A node's whole poll (health, dumps, sinks) must end within this; default max(5 s, interval). */
  readonly nodeTimeoutMs?: number;
  readonly observer?: PollObserver;
  /**
   * The cluster's node leases (absent: a panel alone polls every node). Only the nodes this panel
   * holds are polled, each poll's writes carrying the node's fence.
   */
  readonly leases?: {
    /** null: another panel holds the node; undefined: leases are not kept (yet). */
    fenceOf(nodeId: number): Fence | null | undefined;
    refused(fence: Fence, what: string): void;
  };
}

interface NodeState {
  name: string | null;
  failures: number;
  /** performance.now() before which the node is not polled (backoff). */
  notBefore: number;
  busy: Promise<void> | null;
}

class PollTimeout extends Error {}

/**
 * Polls every node every `intervalMs()`: at most `concurrency` at once, each within its own
 * timeout, so a slow node never holds up the others (the next cycle starts on time and skips a
 * node whose poll is still running). A node that fails is marked offline and retried with
 * exponential backoff; one that answers is marked online and each enabled configuration's dump
 * goes through `ConfigurationSync.poll`.
 */
export class Poller {
  private readonly states = new Map<number, NodeState>();
  private readonly limiter: Limiter;
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() when the last cycle began. */
  private lastTick = 0;
  private running = false;
  private cycles = new Set<Promise<unknown>>();

  constructor(private readonly deps: PollerDeps) {
    this.limiter = new Limiter(Math.max(1, deps.concurrency));
  }

  /** Starts polling; the first cycle runs at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Stops polling and waits for polls in flight. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.cycles]);
    await Promise.allSettled([...this.states.values()].map((s) => s.busy));
  }

  /** Polls a node soon, forgetting its backoff (after it was added or re-pinned). */
  wake(nodeId: number): void {
    const st = this.states.get(nodeId);
    if (st) {
      st.failures = 0;
      st.notBefore = 0;
    }
    // launch() records a failed poll itself; nothing is left for the caller to handle.
    if (this.running && !st?.busy) void this.launch(nodeId).catch(() => undefined);
  }

  /**
   * The interval changed: the next cycle is planned again from the last one's start, so a
   * shorter interval applies now rather than after the wait planned with the old one.
   */
  replan(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    const due = this.lastTick + this.deps.intervalMs() - performance.now();
    this.schedule(Math.max(0, due));
  }

  /** Forgets a deleted node. */
  forget(nodeId: number, name: string): void {
    this.states.delete(nodeId);
    this.deps.observer?.nodeForgotten(name);
  }

  private tick(): void {
    if (!this.running) return;
    this.lastTick = performance.now();
    const cycle = this.cycle().catch((err: unknown) =>
      this.deps.logger.error({ err }, 'poll cycle failed'),
    );
    this.cycles.add(cycle);
    void cycle.finally(() => this.cycles.delete(cycle));
    this.schedule(this.deps.intervalMs());
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref?.();
  }

  private async cycle(): Promise<void> {
    const t0 = performance.now();
    const ids = await this.deps.store.nodeIds();
    for (const id of this.states.keys())
      if (!ids.includes(id)) this.forget(id, this.states.get(id)?.name ?? '');
    const polls: Promise<void>[] = [];
    for (const id of ids) {
      if (this.deps.leases?.fenceOf(id) === null) continue;
      const st = this.state(id);
      if (st.busy || performance.now() < st.notBefore) continue;
      polls.push(this.launch(id));
    }
    if (polls.length === 0) return;
    await Promise.allSettled(polls);
    this.deps.observer?.cycleDone((performance.now() - t0) / 1000);
  }

  private state(id: number): NodeState {
    let st = this.states.get(id);
    if (!st) {
      st = { name: null, failures: 0, notBefore: 0, busy: null };
      this.states.set(id, st);
    }
    return st;
  }

  private launch(id: number): Promise<void> {
    const st = this.state(id);
    const busy = (async () => {
      const release = await this.limiter.acquire();
      if (!this.running) return release();
      const t0 = performance.now();
      const work = this.pollNode(id, st);
      let timer: NodeJS.Timeout | undefined;
      const timeoutMs = this.deps.nodeTimeoutMs ?? Math.max(5000, this.deps.intervalMs());
      try {
        await Promise.race([
          work,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new PollTimeout(`poll timed out after ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
        await this.succeeded(st, (performance.now() - t0) / 1000);
      } catch (e) {
        await this.failed(id, st, e, (performance.now() - t0) / 1000);
      } finally {
        clearTimeout(timer);
        release();
      }
      // A timed-out poll may still be running: the node waits for it before its next one.
      await work.catch(() => undefined);
    })().finally(() => {
      if (st.busy === busy) st.busy = null;
    });
    st.busy = busy;
    return busy;
  }

  private async pollNode(id: number, st: NodeState): Promise<void> {
    const fence = this.deps.leases?.fenceOf(id);
    if (fence === null) return; // given up since the cycle began
    const node = await this.deps.store.node(id);
    if (!node) return;
    if (st.name !== null && st.name !== node.name) this.deps.observer?.nodeForgotten(st.name);
    st.name = node.name;
    const agent = this.deps.agentOf(node);
    const t0 = performance.now();
    const health = await agent.health();
    const rttMs = Math.max(0, Math.round(performance.now() - t0));
    await this.deps.store.markNodeOnline(
      id,
      {
        at: this.deps.now(),
        agentVersion: health.version,
        rttMs,
      },
      fence ?? undefined,
    );
    if (node.status !== 'online') this.deps.logger.info({ node: node.name }, 'node online');
    const configs = await this.deps.store.enabledConfigurationsOfNode(id);
    const results = await Promise.allSettled(
      configs.map((c) => this.deps.sync.poll(c, agent, fence)),
    );
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      if (isNodeDown(r.reason) || isLeaseLost(r.reason)) throw r.reason;
      this.deps.logger.warn(
        { node: node.name, configuration: configs[i]?.name, err: agentFailure(r.reason).message },
        'configuration poll failed',
      );
    });
  }

  private async succeeded(st: NodeState, seconds: number) {
    st.failures = 0;
    st.notBefore = 0;
    if (st.name !== null) this.deps.observer?.nodePolled(st.name, true, seconds);
  }

  private async failed(id: number, st: NodeState, e: unknown, seconds: number) {
    if (isLeaseLost(e)) {
      // Not the node's failure: this panel lost the lease (paused past it, or taken over).
      this.deps.leases?.refused(e.fence, 'node poll');
      return;
    }
    st.failures++;
    const intervalMs = this.deps.intervalMs();
    const delay = backoffDelay(st.failures, intervalMs);
    st.notBefore = performance.now() + delay - intervalMs / 2;
    const failure = e instanceof PollTimeout ? null : agentFailure(e);
    const message = failure?.message ?? (e as PollTimeout).message;
    if (st.name !== null)
      this.deps.observer?.nodePolled(st.name, false, seconds, failure?.kind ?? 'timeout');
    const log = st.failures === 1 ? 'warn' : 'debug';
    this.deps.logger[log](
      { node: st.name, nodeId: id, failures: st.failures, retryInMs: delay, err: message },
      'node poll failed',
    );
    const fence = this.deps.leases?.fenceOf(id);
    if (fence === null) return; // lost meanwhile: the holder says what the node is
    try {
      await this.deps.store.markNodeOffline(id, message, fence ?? undefined);
    } catch (err) {
      if (isLeaseLost(err)) return this.deps.leases?.refused(err.fence, 'node status');
      this.deps.logger.error({ err, nodeId: id }, 'could not mark the node offline');
    }
  }
}
