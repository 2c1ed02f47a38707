import type { DriftPeer } from './reconcile-plan.js';

/**
 * Peers found on nodes that the panel does not know, per configuration, as of the last
 * reconciliation. In memory: it is observed state, rebuilt by the next poll after a restart.
 */
export class DriftRegistry {
  private readonly byConfiguration = new Map<
    number,
    { readonly nodeId: number; readonly peers: readonly DriftPeer[] }
  >();

  /** Records the drift of a configuration; returns the peers that were not drift before. */
  set(configurationId: number, nodeId: number, peers: readonly DriftPeer[]): DriftPeer[] {
    const before = new Set(this.get(configurationId).map((p) => p.publicKey));
    if (peers.length === 0) this.byConfiguration.delete(configurationId);
    else this.byConfiguration.set(configurationId, { nodeId, peers });
    return peers.filter((p) => !before.has(p.publicKey));
  }

  get(configurationId: number): readonly DriftPeer[] {
    return this.byConfiguration.get(configurationId)?.peers ?? [];
  }

  /** Drift peers on all configurations of a node. */
  countOfNode(nodeId: number): number {
    let n = 0;
    for (const d of this.byConfiguration.values()) if (d.nodeId === nodeId) n += d.peers.length;
    return n;
  }

  forget(configurationId: number): void {
    this.byConfiguration.delete(configurationId);
  }
}
