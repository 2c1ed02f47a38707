import type { SampleRow, SampleScope } from './samples-ports.js';
import type { UsageStore } from './ports.js';
import type { UsageSample } from './usage-row.js';

/** Bytes of one peer in one bucket (mutable: polls of the same minute add into it). */
interface Bytes {
  rx: bigint;
  tx: bigint;
}
/** bucket start (ms) → peer id → bytes. */
type Buckets = Map<number, Map<number, Bytes>>;

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

  /** Adds one poll's samples of a configuration into the bucket starting at `bucketMs`. */
  add(configurationId: number, bucketMs: number, samples: readonly UsageSample[]): void {
    if (samples.length === 0) return;
    let buckets = this.#live.get(configurationId);
    if (!buckets) this.#live.set(configurationId, (buckets = new Map()));
    let peers = buckets.get(bucketMs);
    if (!peers) buckets.set(bucketMs, (peers = new Map()));
    for (const s of samples) {
      const b = peers.get(s.peerId);
      if (b) {
        b.rx += s.rx;
        b.tx += s.tx;
      } else peers.set(s.peerId, { rx: s.rx, tx: s.tx });
    }
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
      for (const [peerId, b] of peers) rows.push({ peerId, bucketStart, rx: b.rx, tx: b.tx });
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
          for (const [ms, peers] of out)
            this.add(
              configurationId,
              ms,
              [...peers].map(([peerId, b]) => ({ peerId, rx: b.rx, tx: b.tx })),
            );
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
        if ('peerId' in scope) {
          const b = peers.get(scope.peerId);
          if (b) out.push({ peerId: scope.peerId, bucketStart, rx: b.rx, tx: b.tx });
        } else
          for (const [peerId, b] of peers) out.push({ peerId, bucketStart, rx: b.rx, tx: b.tx });
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
