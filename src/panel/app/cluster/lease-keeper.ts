import type { Logger } from 'pino';
import { nextPassDelay, planLeases, type LeaseView } from '../../domain/cluster/lease-plan.js';
import { jobResource, nodeResource, type ClusterStore, type Fence } from './ports.js';

export interface LeaseKeeperDeps {
  readonly store: ClusterStore;
  /** This process (random per start). */
  readonly panel: { readonly id: string; readonly host: string };
  /** Every node to be polled. */
  readonly nodeIds: () => Promise<number[]>;
  /** How long a lease lasts, read at every pass (2 poll intervals by default). */
  readonly leaseMs: () => number;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Told after each pass what changed (the poller polls a gained node at once). */
  readonly onChange?: (change: { gained: number[]; lost: number[] }) => void;
}

/** The job lease that time-driven work (ticks, resets, retention, digests) runs under. */
export const CLUSTER_JOBS = jobResource('timers');

/**
 * Keeps this panel's share of the node leases and the cluster's job lease: each pass records a
 * heartbeat, reads the live panels and the lease rows, then renews, releases and takes leases as
 * `planLeases` says (compare-and-set on the expiry, a new fencing token at every acquisition).
 * What it holds is only this panel's belief: every write for a node carries the node's Fence and
 * the database refuses it when the lease was lost meanwhile (see LeaseLostError).
 */
export class LeaseKeeper {
  readonly #held = new Map<number, Fence>();
  #job: { fence: Fence; until: Date } | null = null;
  #refused = 0;
  /** `resource token` of the fences whose refusal was counted (once each). */
  readonly #reported = new Set<string>();
  /** The lease rows the last pass read (nodes and jobs), for the next pass's time. */
  #seen: LeaseView[] = [];

  constructor(private readonly deps: LeaseKeeperDeps) {}

  get panelId(): string {
    return this.deps.panel.id;
  }

  /** The fence of a node this panel believes it holds, else null. */
  fenceOf(nodeId: number): Fence | null {
    return this.#held.get(nodeId) ?? null;
  }

  /** Nodes held, by id. */
  heldNodes(): number[] {
    return [...this.#held.keys()];
  }

  /** True while this panel holds the cluster's job lease (and it has not expired by its clock). */
  holdsJobs(): boolean {
    return this.#job !== null && this.#job.until.getTime() > this.deps.now().getTime();
  }

  /** Milliseconds until the next pass should run (see nextPassDelay). */
  nextPassIn(pollMs: number): number {
    return nextPassDelay(pollMs, this.deps.now(), this.#seen, this.deps.panel.id);
  }

  /** Writes refused since the start (lease lost). */
  get refusedWrites(): number {
    return this.#refused;
  }

  /** A write for this fence was refused: the lease is gone, whatever the last pass saw. */
  refused(fence: Fence, what: string): void {
    const key = `${fence.resource} ${fence.token}`;
    if (this.#reported.has(key)) return;
    if (this.#reported.size > 10_000) this.#reported.clear();
    this.#reported.add(key);
    this.#refused++;
    for (const [id, f] of this.#held)
      if (f.resource === fence.resource && f.token === fence.token) this.#held.delete(id);
    this.deps.logger.warn(
      { resource: fence.resource, token: String(fence.token), write: what },
      'write refused: the lease was lost',
    );
  }

  /** One pass; returns the nodes gained and lost. */
  async pass(): Promise<{ gained: number[]; lost: number[] }> {
    const { store, panel, now: clock } = this.deps;
    const leaseMs = this.deps.leaseMs();
    const now = clock();
    const until = new Date(now.getTime() + leaseMs);
    await store.heartbeat(panel, now);
    const live = await store.livePanels(new Date(now.getTime() - leaseMs));
    const nodeIds = await this.deps.nodeIds();
    const rows = await store.leases('node:');
    this.#seen = rows.map((r) => ({ holder: r.holder, expiresAt: r.expiresAt }));
    const leases = new Map<number, LeaseView>();
    const stale: string[] = [];
    const known = new Set(nodeIds);
    for (const r of rows) {
      const id = Number(r.resource.slice('node:'.length));
      if (!known.has(id)) stale.push(r.resource);
      else leases.set(id, { holder: r.holder, expiresAt: r.expiresAt });
    }
    if (stale.length > 0) await store.forget(stale);
    const plan = planLeases({ me: panel.id, livePanels: live, nodeIds, leases, now });
    const before = new Set(this.#held.keys());
    const next = new Map<number, Fence>();
    for (const id of plan.release) {
      const fence = this.#held.get(id);
      if (fence) await store.release(fence, now);
    }
    for (const id of plan.renew) {
      const fence = this.#held.get(id);
      // Held by this panel in the database but not in memory: a lease of an earlier pass that
      // this process no longer trusts; it lapses and is taken again with a new token.
      if (fence && (await store.renew(fence, now, until))) next.set(id, fence);
    }
    for (const id of plan.acquire) {
      const resource = nodeResource(id);
      const token = await store.acquire(resource, panel.id, now, until);
      if (token !== null) next.set(id, { resource, holder: panel.id, token });
    }
    this.#held.clear();
    for (const [id, f] of next) this.#held.set(id, f);
    await this.#jobPass(now, until);
    const gained = [...next.keys()].filter((id) => !before.has(id));
    const lost = [...before].filter((id) => !next.has(id));
    if (gained.length > 0 || lost.length > 0)
      this.deps.logger.info({ gained, lost, held: next.size, share: plan.share }, 'node leases');
    this.deps.onChange?.({ gained, lost });
    return { gained, lost };
  }

  async #jobPass(now: Date, until: Date): Promise<void> {
    const { store, panel } = this.deps;
    if (this.#job && (await store.renew(this.#job.fence, now, until))) {
      this.#job = { fence: this.#job.fence, until };
      return;
    }
    if (this.#job) this.deps.logger.info('cluster jobs lease lost');
    this.#job = null;
    const token = await store.acquire(CLUSTER_JOBS, panel.id, now, until);
    if (token === null) return;
    this.#job = { fence: { resource: CLUSTER_JOBS, holder: panel.id, token }, until };
    this.deps.logger.info({ token: String(token) }, 'cluster jobs lease taken');
  }

  /** Gives every lease up (another panel takes them at its next pass) and leaves the cluster. */
  async stop(): Promise<void> {
    const now = this.deps.now();
    const fences = [...this.#held.values(), ...(this.#job ? [this.#job.fence] : [])];
    this.#held.clear();
    this.#job = null;
    for (const f of fences) await this.deps.store.release(f, now);
    await this.deps.store.leave(this.deps.panel.id, new Date(now.getTime() - 24 * 3600_000));
  }
}
