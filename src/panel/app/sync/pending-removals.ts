import type { SyncStore } from './sync-store.js';

/**
 * Public keys of peers the panel deleted, per configuration, until the node confirmed them gone.
 * Kept in the database (they must survive a panel restart while the node is down) and cached.
 */
export class PendingRemovals {
  private readonly cache = new Map<number, Set<string>>();

  constructor(private readonly store: Pick<SyncStore, 'pendingRemovals' | 'setPendingRemovals'>) {}

  async of(configurationId: number): Promise<ReadonlySet<string>> {
    let set = this.cache.get(configurationId);
    if (!set) {
      set = new Set(await this.store.pendingRemovals(configurationId));
      this.cache.set(configurationId, set);
    }
    return set;
  }

  async add(configurationId: number, keys: readonly string[]): Promise<void> {
    const set = new Set(await this.of(configurationId));
    const before = set.size;
    for (const k of keys) set.add(k);
    if (set.size !== before) await this.replace(configurationId, [...set]);
  }

  async replace(configurationId: number, keys: readonly string[]): Promise<void> {
    await this.store.setPendingRemovals(configurationId, keys);
    this.cache.set(configurationId, new Set(keys));
  }

  /** Forgets the cache of a deleted configuration (its stored row goes with the configuration). */
  forget(configurationId: number): void {
    this.cache.delete(configurationId);
  }
}
