import type { TrafficInterval } from '../../domain/vocabulary.js';
import type { PendingSamples, SampleRow, SampleScope, SamplesStore } from './samples-ports.js';

/** Resolution of a usage series. */
export type Interval = TrafficInterval;

export const INTERVAL_MS: Record<Interval, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Watermarks in `settings`: every bucket before them is rolled up into the next table. */
export const HOUR_ROLLUP_KEY = 'usage_rollup_hour_done';
export const DAY_ROLLUP_KEY = 'usage_rollup_day_done';

/** `at` floored to a multiple of `ms` since the epoch (UTC buckets). */
export function floorTo(at: Date, ms: number): Date {
  return new Date(Math.floor(at.getTime() / ms) * ms);
}

/**
 * The usage series of a scope at a resolution over [from, to) (both floored to the interval).
 * Coarser tables hold what has been rolled up; the finer rows after each watermark (the current
 * hour, today) are added in, and the minute samples still in memory (`pending`, the current
 * minute), so a series is complete up to the last poll.
 */
export async function readSeries(
  store: SamplesStore,
  scope: SampleScope,
  interval: Interval,
  fromIn: Date,
  toIn: Date,
  pending?: PendingSamples,
): Promise<SampleRow[]> {
  const ms = INTERVAL_MS[interval];
  const { from, to } = seriesRange(interval, fromIn, toIn);
  const { stored, fresh } = await readWithPending(
    pending,
    async () => {
      const { parts, minutesFrom } = await seriesParts(store, interval, from, to);
      const rows: SampleRow[][] = [];
      for (const [resolution, a, b] of parts) rows.push(await store.read(resolution, scope, a, b));
      return { rows, minutesFrom };
    },
    (read, p) => p.read(scope, max(from, read.minutesFrom), to),
  );
  return sumPerBucket([...stored.rows.flat(), ...fresh], ms, (r) => r.peerId);
}

/** [from, to) widened to whole buckets of the interval. */
export function seriesRange(interval: Interval, from: Date, to: Date): { from: Date; to: Date } {
  const ms = INTERVAL_MS[interval];
  return { from: floorTo(from, ms), to: new Date(Math.ceil(to.getTime() / ms) * ms) };
}

const MAX_ATTEMPTS = 8;

/**
 * Reads the stored rows, then the rows still in memory (`fresh`, from what was stored: where
 * the minute rows start). Rows move from memory to the database while we read: read again when
 * a move overlapped.
 */
export async function readWithPending<T, F>(
  pending: PendingSamples | undefined,
  stored: () => Promise<T>,
  fresh: (stored: T, pending: PendingSamples) => F[],
): Promise<{ stored: T; fresh: F[] }> {
  for (let attempt = 1; ; attempt++) {
    const epoch = pending?.epoch;
    const rows = await stored();
    if (!pending) return { stored: rows, fresh: [] };
    const more = fresh(rows, pending);
    if ((pending.epoch === epoch && !pending.busy) || attempt >= MAX_ATTEMPTS)
      return { stored: rows, fresh: more };
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

/**
 * The resolutions and ranges a series over [from, to) reads: coarser ones up to their rollup
 * watermark, finer ones after it; and where its minute rows start (the hour watermark).
 */
export async function seriesParts(
  store: Pick<SamplesStore, 'watermark'>,
  interval: Interval,
  from: Date,
  to: Date,
): Promise<{ parts: Array<[Interval, Date, Date]>; minutesFrom: Date }> {
  if (interval === 'minute') return { parts: [['minute', from, to]], minutesFrom: from };
  const hourDone = (await store.watermark(HOUR_ROLLUP_KEY)) ?? new Date(0);
  const parts: Array<[Interval, Date, Date]> = [];
  if (interval === 'hour') {
    parts.push(['hour', from, min(to, hourDone)]);
  } else {
    const dayDone = (await store.watermark(DAY_ROLLUP_KEY)) ?? new Date(0);
    parts.push(['day', from, min(to, dayDone)]);
    parts.push(['hour', max(from, dayDone), min(to, hourDone)]);
  }
  parts.push(['minute', max(from, hourDone), to]);
  return { parts: parts.filter(([, a, b]) => a.getTime() < b.getTime()), minutesFrom: hourDone };
}

/** A row of bytes in one bucket, of one owner (a peer, a configuration). */
interface BucketBytes {
  readonly bucketStart: Date;
  readonly rx: bigint;
  readonly tx: bigint;
}

/** Rows summed per owner (`ownerOf`) and bucket of width `ms`, by owner then time. */
export function sumPerBucket<R extends BucketBytes>(
  rows: readonly R[],
  ms: number,
  ownerOf: (r: R) => number,
): R[] {
  const sums = new Map<string, { row: R; rx: bigint; tx: bigint }>();
  for (const r of rows) {
    const bucketStart = floorTo(r.bucketStart, ms);
    const key = `${ownerOf(r)}|${bucketStart.getTime()}`;
    const s = sums.get(key);
    if (s) {
      s.rx += r.rx;
      s.tx += r.tx;
    } else sums.set(key, { row: { ...r, bucketStart }, rx: r.rx, tx: r.tx });
  }
  return [...sums.values()]
    .map(({ row, rx, tx }) => ({ ...row, rx, tx }))
    .sort((x, y) => ownerOf(x) - ownerOf(y) || x.bucketStart.getTime() - y.bucketStart.getTime());
}

/** The coarsest interval both ends are aligned to (a CSV period of whole days reads day rows). */
export function alignedInterval(from: Date, to: Date): Interval {
  for (const i of ['day', 'hour'] as const)
    if (from.getTime() % INTERVAL_MS[i] === 0 && to.getTime() % INTERVAL_MS[i] === 0) return i;
  return 'minute';
}

function min(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
/** The later of two instants. */
export function max(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
