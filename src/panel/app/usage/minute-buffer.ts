import type { SampleRow, SampleScope } from './samples-ports.js';
import type { UsageStore } from './ports.js';
import type { UsageSampleColumns } from './usage-row.js';

/**
 * Bytes of the peers of one bucket: a slot per peer in growing typed arrays (polls of the same
 * minute add into it), so 100,000 peers cost no object or bigint each while they wait.
 */
class BucketBytes {
  readonly #slots = new Map<number, number>();
  #peerIds = new Float64Array(0);
  #rx = new BigInt64Array(0);
  #tx = new BigInt64Array(0);

  get size(): number {
    return this.#slots.size;
  }

  add(peerId: number, rx: bigint, tx: bigint): void {
    const slot = this.#slots.get(peerId);
    if (slot !== undefined) {
      this.#rx[slot] = (this.#rx[slot] as bigint) + rx;
      this.#tx[slot] = (this.#tx[slot] as bigint) + tx;
      return;
    }
    const k = this.#slots.size;
    if (k === this.#peerIds.length) this.#grow(Math.max(64, k * 2));
    this.#slots.set(peerId, k);
    this.#peerIds[k] = peerId;
    this.#rx[k] = rx;
    this.#tx[k] = tx;
  }

  /** Calls `each` for one peer (when present) or every peer. */
  visit(peerId: number | undefined, each: (peerId: number, rx: bigint, tx: bigint) => void): void {
    if (peerId !== undefined) {
      const slot = this.#slots.get(peerId);
      if (slot !== undefined) each(peerId, this.#rx[slot] as bigint, this.#tx[slot] as bigint);
      return;
    }
    for (let i = 0; i < this.#slots.size; i++)
      each(this.#peerIds[i] as number, this.#rx[i] as bigint, this.#tx[i] as bigint);
  }

  #grow(capacity: number): void {
    const peerIds = new Float64Array(capacity);
    const rx = new BigInt64Array(capacity);
    const tx = new BigInt64Array(capacity);
    peerIds.set(this.#peerIds);
    rx.set(this.#rx);
    tx.set(this.#tx);
    this.#peerIds = peerIds;
    this.#rx = rx;
    this.#tx = tx;
  }
}

/** bucket start (ms) → the bytes of its peers. */
type Buckets = Map<number, BucketBytes>;

/** Closed buckets handed to a writer: written once, then `done(true)`; put back on `done(false)`. */
export interface TakenSamples {
  readonly rows: readonly SampleRow[];
  done(written: boolean): void;
}

/**
 * Minute samples kept in memory until their minute is over: polls of one minute add into one
 * row per peer, written once (batched) when the bucket closes, instead of an upsert per poll.
 * Per configuration, so each configuration's ingest writes its own closed buckets. Rows being
 * written stay visible to readers until the write is done; `epoch` changes whenever rows move
 * between memory and the database, so a reader can tell its two reads did not straddle a move.
 * A crash loses what is held here: at most the current minute (and a minute still being written).
 */
export class MinuteBuffer {
  readonly #live = new Map<number, Buckets>();
  readonly #taken = new Set<{ configurationId: number; buckets: Buckets }>();
  #epoch = 0;

  /** Changes whenever rows leave or come back to memory. */
  get epoch(): number {
    return this.#epoch;
  }

  /** True while some taken rows are neither written nor given back. */
  get busy(): boolean {
    return this.#taken.size > 0;
  }

  /**
   * Adds one poll's samples of a configuration (the first `count` entries of the columns: no
   * object per peer) into the bucket starting at `bucketMs`.
   */
  add(configurationId: number, bucketMs: number, samples: UsageSampleColumns): void {
    if (samples.count === 0) return;
    const peers = this.#bucket(configurationId, bucketMs);
    for (let i = 0; i < samples.count; i++)
      peers.add(samples.peerIds[i] as number, samples.rx[i] as bigint, samples.tx[i] as bigint);
  }

  #bucket(configurationId: number, bucketMs: number): BucketBytes {
    let buckets = this.#live.get(configurationId);
    if (!buckets) this.#live.set(configurationId, (buckets = new Map()));
    let peers = buckets.get(bucketMs);
    if (!peers) buckets.set(bucketMs, (peers = new BucketBytes()));
    return peers;
  }

  /**
   * Takes a configuration's buckets that start before `beforeMs` (all of them when undefined)
   * for writing; the same rows are never handed out twice.
   */
  take(configurationId: number, beforeMs?: number): TakenSamples | undefined {
    const buckets = this.#live.get(configurationId);
    if (!buckets) return undefined;
    const out: Buckets = new Map();
    for (const [ms, peers] of buckets)
      if (beforeMs === undefined || ms < beforeMs) {
        out.set(ms, peers);
        buckets.delete(ms);
      }
    if (buckets.size === 0) this.#live.delete(configurationId);
    if (out.size === 0) return undefined;
    const entry = { configurationId, buckets: out };
    this.#taken.add(entry);
    this.#epoch++;
    const rows: SampleRow[] = [];
    for (const [ms, peers] of out) {
      const bucketStart = new Date(ms);
      peers.visit(undefined, (peerId, rx, tx) => rows.push({ peerId, bucketStart, rx, tx }));
    }
    let settled = false;
    return {
      rows,
      done: (written) => {
        if (settled) return;
        settled = true;
        this.#taken.delete(entry);
        this.#epoch++;
        if (!written)
          for (const [ms, peers] of out) {
            const back = this.#bucket(configurationId, ms);
            peers.visit(undefined, (peerId, rx, tx) => back.add(peerId, rx, tx));
          }
      },
    };
  }

  /** Configurations with rows in memory. */
  configurations(): number[] {
    return [...this.#live.keys()];
  }

  /** Rows in memory (taken ones included) of a scope with bucket_start in [from, to). */
  read(scope: SampleScope, from: Date, to: Date): SampleRow[] {
    const out: SampleRow[] = [];
    const visit = (configurationId: number, buckets: Buckets) => {
      if ('configurationId' in scope && scope.configurationId !== configurationId) return;
      for (const [ms, peers] of buckets) {
        if (ms < from.getTime() || ms >= to.getTime()) continue;
        const bucketStart = new Date(ms);
        peers.visit('peerId' in scope ? scope.peerId : undefined, (peerId, rx, tx) =>
          out.push({ peerId, bucketStart, rx, tx }),
        );
      }
    };
    for (const [id, buckets] of this.#live) visit(id, buckets);
    for (const t of this.#taken) visit(t.configurationId, t.buckets);
    return out;
  }
}

/**
 * Writes every configuration's buckets starting before `beforeMs` (all when undefined), one
 * transaction per configuration; rows whose write fails go back to memory for the next try.
 */
export async function flushBuffer(
  buffer: MinuteBuffer,
  store: Pick<UsageStore, 'transaction'>,
  beforeMs?: number,
): Promise<void> {
  for (const id of buffer.configurations()) {
    const taken = buffer.take(id, beforeMs);
    if (!taken) continue;
    let written = false;
    try {
      await store.transaction((uow) => uow.addSamples(taken.rows));
      written = true;
    } finally {
      taken.done(written);
    }
  }
}
