import type { ConfigurationState } from './configuration-state.js';
import type { SyncStore } from './sync-store.js';

/**
 * Public keys of peers the panel deleted, per configuration, until the node confirmed them gone.
 * Kept in the database (they must survive a panel restart while the node is down), cached in the
 * configuration's state.
 */
export class PendingRemovals {
  constructor(private readonly store: Pick<SyncStore, 'pendingRemovals' | 'setPendingRemovals'>) {}

  async of(state: ConfigurationState): Promise<ReadonlySet<string>> {
    state.pending ??= new Set(await this.store.pendingRemovals(state.id));
    return state.pending;
  }

  async add(state: ConfigurationState, keys: readonly string[]): Promise<void> {
    const set = new Set(await this.of(state));
    const before = set.size;
    for (const k of keys) set.add(k);
    if (set.size !== before) await this.replace(state, [...set]);
  }

  async replace(state: ConfigurationState, keys: readonly string[]): Promise<void> {
    await this.store.setPendingRemovals(state.id, keys);
    state.pending = new Set(keys);
  }
}
