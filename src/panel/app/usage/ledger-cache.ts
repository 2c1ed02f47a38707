import type { LedgerRow } from './usage-row.js';

// Flag bits of one peer (see LedgerTable.flags).
const HAS_RAW = 1;
const HAS_LIMIT = 2;
const ACTIVE = 4;
const WARNED = 8;
const RESTRICTED_FOR_TRAFFIC = 16;
const GRANULAR = 32;

/**
 * The ledger rows of one configuration, one slot per peer, in typed arrays: what the ingest needs
 * per peer (raw counters, period usage, the inputs of the traffic checks) without an object, a
 * bigint or a Date per peer. At 100,000 peers an object per row (with its four bigints) costs
 * several times this, and replacing them on every poll turns into old-generation garbage.
 * Bytes stay exact 64-bit integers (BigInt64Array: the database's int8 range).
 */
export class LedgerTable {
  /** Public key → slot. */
  readonly #slots = new Map<string, number>();
  readonly ids: Float64Array;
  readonly lastRx: BigInt64Array;
  readonly lastTx: BigInt64Array;
  /** The agent's totals last counted (see `epochOf`; meaningless when it is null). */
  readonly totalRx: BigInt64Array;
  readonly totalTx: BigInt64Array;
  /** Index into `#epochs` of the totals' epoch, −1 when none (few distinct: one per interface). */
  readonly #epochIndex: Int32Array;
  readonly #epochs: string[] = [];
  readonly periodRx: BigInt64Array;
  readonly periodTx: BigInt64Array;
  readonly limit: BigInt64Array;
  readonly warnThreshold: Float64Array;
  /** The peer's subscriber id, 0 when none. */
  readonly subscriber: Float64Array;
  readonly #flags: Uint8Array;
  /** Polls served from this table since it was read from the database. */
  polls = 0;
  /** True while an ingest uses (and changes) it: another must read from the database. */
  busy = false;

  constructor(rows: readonly LedgerRow[]) {
    const n = rows.length;
    this.ids = new Float64Array(n);
    this.lastRx = new BigInt64Array(n);
    this.lastTx = new BigInt64Array(n);
    this.totalRx = new BigInt64Array(n);
    this.totalTx = new BigInt64Array(n);
    this.#epochIndex = new Int32Array(n).fill(-1);
    this.periodRx = new BigInt64Array(n);
    this.periodTx = new BigInt64Array(n);
    this.limit = new BigInt64Array(n);
    this.warnThreshold = new Float64Array(n);
    this.subscriber = new Float64Array(n);
    this.#flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i] as LedgerRow;
      this.#slots.set(r.public_key, i);
      this.ids[i] = r.id;
      this.periodRx[i] = r.period_rx;
      this.periodTx[i] = r.period_tx;
      this.warnThreshold[i] = r.traffic_warn_threshold;
      this.subscriber[i] = r.subscriber_id ?? 0;
      let f = 0;
      if (r.last_raw_rx !== null && r.last_raw_tx !== null) {
        f |= HAS_RAW;
        this.lastRx[i] = r.last_raw_rx;
        this.lastTx[i] = r.last_raw_tx;
      }
      if (r.totals_epoch !== null && r.last_total_rx !== null && r.last_total_tx !== null)
        this.recordTotals(i, r.totals_epoch, r.last_total_rx, r.last_total_tx);
      if (r.traffic_limit !== null) {
        f |= HAS_LIMIT;
        this.limit[i] = r.traffic_limit;
      }
      if (r.status === 'active') f |= ACTIVE;
      if (r.traffic_warned) f |= WARNED;
      if (r.restriction_reason === 'traffic_limit') f |= RESTRICTED_FOR_TRAFFIC;
      if (
        r.download_limit !== null ||
        r.upload_limit !== null ||
        r.daily_limit !== null ||
        r.throttled_at !== null
      )
        f |= GRANULAR;
      this.#flags[i] = f;
    }
  }

  get size(): number {
    return this.ids.length;
  }

  /** The slot of a public key, or undefined (not a peer of this configuration). */
  slotOf(publicKey: string): number | undefined {
    return this.#slots.get(publicKey);
  }

  /** True when the peer's raw counters were observed before (not null). */
  hasRaw(slot: number): boolean {
    return ((this.#flags[slot] as number) & HAS_RAW) !== 0;
  }

  /** The epoch of the agent's totals last counted for the peer, null when none. */
  epochOf(slot: number): string | null {
    const i = this.#epochIndex[slot] as number;
    return i < 0 ? null : (this.#epochs[i] as string);
  }

  /** Remembers the agent's totals counted for the peer (epoch null: none). */
  recordTotals(slot: number, epoch: string | null, rx: bigint, tx: bigint): void {
    if (epoch === null) {
      this.#epochIndex[slot] = -1;
      return;
    }
    let i = this.#epochs.indexOf(epoch);
    if (i < 0) i = this.#epochs.push(epoch) - 1;
    this.#epochIndex[slot] = i;
    this.totalRx[slot] = rx;
    this.totalTx[slot] = tx;
  }

  /** The traffic limit, null when none. */
  limitOf(slot: number): bigint | null {
    return ((this.#flags[slot] as number) & HAS_LIMIT) !== 0 ? (this.limit[slot] as bigint) : null;
  }

  isActive(slot: number): boolean {
    return ((this.#flags[slot] as number) & ACTIVE) !== 0;
  }

  isWarned(slot: number): boolean {
    return ((this.#flags[slot] as number) & WARNED) !== 0;
  }

  /** Restricted by the policy for its traffic (restriction_reason = 'traffic_limit'). */
  isRestrictedForTraffic(slot: number): boolean {
    return ((this.#flags[slot] as number) & RESTRICTED_FOR_TRAFFIC) !== 0;
  }

  /**
   * Has a download, upload or daily quota, or is throttled: every poll that moves it asks the
   * policy (the cache keeps only the period's total).
   */
  hasGranularQuota(slot: number): boolean {
    return ((this.#flags[slot] as number) & GRANULAR) !== 0;
  }

  /** The peer as the ingest wrote it: new raw counters, period usage grown by the deltas. */
  record(slot: number, rawRx: bigint, rawTx: bigint, deltaRx: bigint, deltaTx: bigint): void {
    this.lastRx[slot] = rawRx;
    this.lastTx[slot] = rawTx;
    this.#flags[slot] = (this.#flags[slot] as number) | HAS_RAW;
    if (deltaRx !== 0n) this.periodRx[slot] = (this.periodRx[slot] as bigint) + deltaRx;
    if (deltaTx !== 0n) this.periodTx[slot] = (this.periodTx[slot] as bigint) + deltaTx;
  }
}

/**
 * What the ingest remembers between polls so a poll need not read every peer again: per
 * configuration, the table it last read or wrote. Only an accelerator, never the truth: every
 * write from it is guarded by the raw counters it expects (a peer re-added, deleted or changed
 * elsewhere fails the guard and the poll is redone from the database), and policy decisions are
 * always made on rows read again inside the transaction. The ingest changes a table in place as it
 * computes, so a table is kept only after a commit (see `store`/`forget`); cleared whenever the
 * usage area itself changes peers (API, policy), and re-read every `maxPolls` polls.
 */
export class LedgerCache {
  readonly #entries = new Map<number, LedgerTable>();
  #generation = 0;

  constructor(private readonly maxPolls = 30) {}

  /**
   * The table of a configuration when it can serve a dump holding `keys` (and no other ingest is
   * using it), else undefined. The caller marks it busy while it uses it.
   */
  lookup(
    configurationId: number,
    peers: readonly { readonly public_key: string }[],
  ): LedgerTable | undefined {
    const entry = this.#entries.get(configurationId);
    if (!entry || entry.busy || entry.polls >= this.maxPolls) return undefined;
    for (const p of peers) {
      const slot = entry.slotOf(p.public_key);
      // A key it never saw (a new peer, or one not ours), or a first observation: read again.
      if (slot === undefined || !entry.hasRaw(slot)) return undefined;
    }
    return entry;
  }

  /** Changes on every `clear`: a table computed across one is not kept. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Keeps a configuration's table (after a commit), unless the cache was cleared since
   * `generation` was read (the peers may have changed meanwhile).
   */
  store(configurationId: number, table: LedgerTable, generation: number): void {
    if (generation === this.#generation) this.#entries.set(configurationId, table);
    else this.#entries.delete(configurationId);
  }

  forget(configurationId: number): void {
    this.#entries.delete(configurationId);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
