import type { LedgerRow } from './usage-row.js';

/** The ledger rows of one configuration as the ingest last wrote them. */
export class CachedConfiguration {
  readonly byKey = new Map<string, LedgerRow>();
  /** Polls served from this entry since it was read from the database. */
  polls = 0;

  /** Replaces the rows of the peers that moved. */
  apply(moved: Iterable<LedgerRow>): void {
    for (const r of moved) this.byKey.set(r.public_key, r);
  }
}

/**
 * What the ingest remembers between polls so a poll need not read every peer again: per
 * configuration, the rows it last read or wrote. Only an accelerator, never the truth: every
 * write from it is guarded by the raw counters it expects (a peer re-added, deleted or changed
 * elsewhere fails the guard and the poll is redone from the database), and policy decisions are
 * always made on rows read again inside the transaction. Cleared whenever the usage area itself
 * changes peers (API, policy), and re-read every `maxPolls` polls.
 */
export class LedgerCache {
  readonly #entries = new Map<number, CachedConfiguration>();

  constructor(private readonly maxPolls = 30) {}

  /** The entry for a configuration when it can serve a dump holding `keys`, else undefined. */
  lookup(configurationId: number, keys: Iterable<string>): CachedConfiguration | undefined {
    const entry = this.#entries.get(configurationId);
    if (!entry || entry.polls >= this.maxPolls) return undefined;
    for (const key of keys) {
      const row = entry.byKey.get(key);
      // A key it never saw (a new peer, or one not ours), or a first observation: read again.
      if (!row || row.last_raw_rx === null || row.last_raw_tx === null) return undefined;
    }
    return entry;
  }

  /** Stores a configuration's rows (after a full read). */
  store(configurationId: number, rows: Iterable<LedgerRow>): CachedConfiguration {
    const entry = new CachedConfiguration();
    entry.apply(rows);
    this.#entries.set(configurationId, entry);
    return entry;
  }

  forget(configurationId: number): void {
    this.#entries.delete(configurationId);
  }

  clear(): void {
    this.#entries.clear();
  }
}
