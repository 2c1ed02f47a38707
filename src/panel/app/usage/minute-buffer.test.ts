import { describe, expect, it } from 'vitest';
import type { TrafficInterval } from '../../domain/vocabulary.js';
import { MinuteBuffer } from './minute-buffer.js';
import type { SampleRow, SampleScope, SamplesStore } from './samples-ports.js';
import { readSeries } from './usage-series.js';

const M0 = Date.UTC(2026, 10, 27, 12, 0);
const M1 = M0 + 60_000;
const at = (ms: number) => new Date(ms);

/** Samples written as rows, handed to the buffer as the columns the ingest makes. */
function add(
  b: MinuteBuffer,
  configurationId: number,
  bucketMs: number,
  rows: readonly { peerId: number; rx: bigint; tx: bigint }[],
): void {
  b.add(configurationId, bucketMs, {
    count: rows.length,
    peerIds: Float64Array.from(rows, (r) => r.peerId),
    rx: BigInt64Array.from(rows, (r) => r.rx),
    tx: BigInt64Array.from(rows, (r) => r.tx),
  });
}

describe('MinuteBuffer', () => {
  it('adds the polls of a minute into one row per peer, per configuration', () => {
    const b = new MinuteBuffer();
    add(b, 1, M0, [{ peerId: 10, rx: 5n, tx: 1n }]);
    add(b, 1, M0, [{ peerId: 10, rx: 7n, tx: 2n }]);
    add(b, 2, M0, [{ peerId: 20, rx: 1n, tx: 1n }]);
    expect(b.read({ peerId: 10 }, at(M0), at(M1))).toEqual([
      { peerId: 10, bucketStart: at(M0), rx: 12n, tx: 3n },
    ]);
    expect(b.read({ configurationId: 2 }, at(M0), at(M1))).toHaveLength(1);
    expect(b.read({ peerId: 10 }, at(M1), at(M1 + 60_000))).toEqual([]);
  });

  it("adds columns of samples (the ingest's) like rows, beyond its first capacity", () => {
    const b = new MinuteBuffer();
    const n = 200;
    const columns = {
      count: n,
      peerIds: Float64Array.from({ length: n + 5 }, (_, i) => 1000 + i),
      rx: BigInt64Array.from({ length: n + 5 }, (_, i) => BigInt(i)),
      tx: new BigInt64Array(n + 5).fill(2n ** 40n),
    };
    b.add(1, M0, columns);
    b.add(1, M0, columns);
    add(b, 1, M0, [{ peerId: 1000, rx: 1n, tx: 1n }]);
    const rows = b.read({ configurationId: 1 }, at(M0), at(M1));
    expect(rows).toHaveLength(n); // the entries past `count` are not samples
    expect(rows[0]).toEqual({ peerId: 1000, bucketStart: at(M0), rx: 1n, tx: 2n ** 41n + 1n });
    expect(rows[n - 1]).toEqual({
      peerId: 1000 + n - 1,
      bucketStart: at(M0),
      rx: BigInt(2 * (n - 1)),
      tx: 2n ** 41n,
    });
    b.add(2, M0, { ...columns, count: 0 });
    expect(b.configurations()).toEqual([1]);
  });

  it('hands closed buckets out once, keeps them visible until written, takes them back on failure', () => {
    const b = new MinuteBuffer();
    add(b, 1, M0, [{ peerId: 10, rx: 5n, tx: 0n }]);
    add(b, 1, M1, [{ peerId: 10, rx: 1n, tx: 0n }]);
    const epoch = b.epoch;
    const taken = b.take(1, M1);
    expect(taken?.rows).toEqual([{ peerId: 10, bucketStart: at(M0), rx: 5n, tx: 0n }]);
    expect(b.take(1, M1)).toBeUndefined();
    expect([b.busy, b.epoch !== epoch]).toEqual([true, true]);
    expect(b.read({ peerId: 10 }, at(M0), at(M1 + 60_000))).toHaveLength(2);
    taken?.done(false);
    expect(b.busy).toBe(false);
    const again = b.take(1, M1);
    expect(again?.rows).toEqual(taken?.rows);
    again?.done(true);
    again?.done(false); // settled once
    expect(b.read({ peerId: 10 }, at(M0), at(M1 + 60_000))).toEqual([
      { peerId: 10, bucketStart: at(M1), rx: 1n, tx: 0n },
    ]);
    expect(b.take(1)?.rows).toHaveLength(1); // everything, the current minute too (stop)
  });
});

describe('readSeries with samples in memory', () => {
  /** A store of minute rows; the first read runs `during` (a flush landing mid-read). */
  function fakeStore(rows: SampleRow[], during?: () => void): SamplesStore {
    let first = true;
    const none = async () => null;
    return {
      async read(resolution: TrafficInterval, scope: SampleScope, from: Date, to: Date) {
        const out = rows.filter(
          (r) =>
            resolution === 'minute' &&
            'peerId' in scope &&
            r.peerId === scope.peerId &&
            r.bucketStart >= from &&
            r.bucketStart < to,
        );
        if (first) during?.();
        first = false;
        return out;
      },
      sums: async () => [],
      addRollup: async () => undefined,
      earliest: none,
      watermark: none,
      deleteBefore: async () => 0,
    };
  }

  it('adds the minutes in memory to the stored ones', async () => {
    const b = new MinuteBuffer();
    add(b, 1, M1, [{ peerId: 10, rx: 3n, tx: 3n }]);
    const store = fakeStore([{ peerId: 10, bucketStart: at(M0), rx: 1n, tx: 1n }]);
    const hour = await readSeries(store, { peerId: 10 }, 'hour', at(M0), at(M1 + 1), b);
    expect(hour).toEqual([{ peerId: 10, bucketStart: at(M0), rx: 4n, tx: 4n }]);
    const minute = await readSeries(store, { peerId: 10 }, 'minute', at(M0), at(M1 + 1), b);
    expect(minute.map((r) => r.rx)).toEqual([1n, 3n]);
  });

  it('reads again when rows moved to the database during the read (never twice, never lost)', async () => {
    const b = new MinuteBuffer();
    add(b, 1, M0, [{ peerId: 10, rx: 5n, tx: 5n }]);
    const stored: SampleRow[] = [];
    // The flush commits while the stored rows are being read: the first answer saw neither copy.
    const store = fakeStore(stored, () => {
      const t = b.take(1);
      stored.push(...(t?.rows ?? []));
      t?.done(true);
    });
    const series = await readSeries(store, { peerId: 10 }, 'minute', at(M0), at(M1), b);
    expect(series).toEqual([{ peerId: 10, bucketStart: at(M0), rx: 5n, tx: 5n }]);
  });
});
