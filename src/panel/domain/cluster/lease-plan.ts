/** A lease as the plan sees it: who holds it until when (the holder's clock). */
export interface LeaseView {
  readonly holder: string;
  readonly expiresAt: Date;
}

/** What a panel sees when it shares out the nodes (see planLeases). */
export interface LeasePlanInput {
  /** This panel. */
  readonly me: string;
  /** Panels whose heartbeat is fresh (this one included or not: it is added). */
  readonly livePanels: readonly string[];
  /** Every node to be polled. */
  readonly nodeIds: readonly number[];
  /** Node id → its lease row, when it has one. */
  readonly leases: ReadonlyMap<number, LeaseView>;
  readonly now: Date;
}

/** What this panel does with its leases in one pass. */
export interface LeasePlan {
  /** Nodes it holds and keeps: renewed. */
  readonly renew: readonly number[];
  /** Free nodes (no lease, or an expired one) it tries to take, best first. */
  readonly acquire: readonly number[];
  /** Nodes it holds above its share: given up, so a panel under its share takes them. */
  readonly release: readonly number[];
  /** How many nodes this panel should hold. */
  readonly share: number;
}

/**
 * Each live panel's share of the nodes: panels sorted by id, the first `n mod p` get one more
 * than `floor(n / p)`, so shares differ by at most one and every panel computes the same split
 * from the same view.
 */
export function shareOf(me: string, livePanels: readonly string[], nodeCount: number): number {
  const panels = [...new Set([...livePanels, me])].sort();
  const rank = panels.indexOf(me);
  const base = Math.floor(nodeCount / panels.length);
  return base + (rank < nodeCount % panels.length ? 1 : 0);
}

/**
 * One lease pass of one panel, pure: keep (renew) what it holds up to its share, give up the
 * rest, and try to take free nodes until it holds its share. A lease is free once expired, whoever
 * held it (a dead or paused panel stops renewing). The free nodes are tried starting from an
 * offset that depends on the panel's rank, so panels starting together contend for few rows.
 */
export function planLeases(input: LeasePlanInput): LeasePlan {
  const { me, now } = input;
  const share = shareOf(me, input.livePanels, input.nodeIds.length);
  const mine: number[] = [];
  const free: number[] = [];
  for (const id of [...input.nodeIds].sort((a, b) => a - b)) {
    const lease = input.leases.get(id);
    const live = lease !== undefined && lease.expiresAt.getTime() > now.getTime();
    if (live && lease.holder === me) mine.push(id);
    else if (!live) free.push(id);
  }
  const renew = mine.slice(0, share);
  const release = mine.slice(share);
  const wanted = Math.max(0, share - renew.length);
  const panels = [...new Set([...input.livePanels, me])].sort();
  const start = free.length === 0 ? 0 : (panels.indexOf(me) * share) % free.length;
  const rotated = [...free.slice(start), ...free.slice(0, start)];
  // A few more than needed: another panel may take some of them first.
  return { renew, release, acquire: rotated.slice(0, wanted), share };
}

/** How long after a lease's expiry a pass looks, so its holder's last heartbeat is stale too. */
export const EXPIRY_MARGIN_MS = 25;

/**
 * When the next lease pass runs (ms from `now`): every half poll interval to renew, and right
 * after the earliest expiry of another panel's lease, so a dead or paused panel's nodes are taken
 * at its lease's end (within the lease, 2 poll intervals by default) rather than up to half an
 * interval later.
 */
export function nextPassDelay(
  pollMs: number,
  now: Date,
  leases: Iterable<LeaseView>,
  me: string,
): number {
  let delay = pollMs / 2;
  for (const l of leases) {
    if (l.holder === me) continue;
    const until = l.expiresAt.getTime() - now.getTime() + EXPIRY_MARGIN_MS;
    if (until > 0 && until < delay) delay = until;
  }
  return delay;
}
