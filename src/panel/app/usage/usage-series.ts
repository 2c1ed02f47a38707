import type { UsageSampleTableName } from '../../adapters/db/schema/usage-samples-table.js';
import type { PendingSamples, SampleRow, SampleScope, SamplesStore } from './samples-ports.js';

/** Resolution of a usage series. */
export type Interval = 'minute' | 'hour' | 'day';

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
  const from = floorTo(fromIn, ms);
  const to = new Date(Math.ceil(toIn.getTime() / ms) * ms);
  // Rows move from memory to the database while we read: read again when a move overlapped.
  for (let attempt = 1; ; attempt++) {
    const epoch = pending?.epoch;
    const rows = await readStored(store, scope, interval, from, to);
    if (!pending) return merge(rows.stored, [], ms);
    const fresh = pending.read(scope, max(from, rows.minutesFrom), to);
    if ((pending.epoch === epoch && !pending.busy) || attempt >= MAX_ATTEMPTS)
      return merge(rows.stored, fresh, ms);
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
  }
}

const MAX_ATTEMPTS = 8;

/** Stored rows of the series, and where its minute rows start (the hour watermark). */
async function readStored(
  store: SamplesStore,
  scope: SampleScope,
  interval: Interval,
  from: Date,
  to: Date,
): Promise<{ stored: SampleRow[][]; minutesFrom: Date }> {
  if (interval === 'minute')
    return { stored: [await store.read('peer_usage_minute', scope, from, to)], minutesFrom: from };
  const hourDone = (await store.watermark(HOUR_ROLLUP_KEY)) ?? new Date(0);
  const parts: Array<[UsageSampleTableName, Date, Date]> = [];
  if (interval === 'hour') {
    parts.push(['peer_usage_hour', from, min(to, hourDone)]);
  } else {
    const dayDone = (await store.watermark(DAY_ROLLUP_KEY)) ?? new Date(0);
    parts.push(['peer_usage_day', from, min(to, dayDone)]);
    parts.push(['peer_usage_hour', max(from, dayDone), min(to, hourDone)]);
  }
  parts.push(['peer_usage_minute', max(from, hourDone), to]);
  const stored: SampleRow[][] = [];
  for (const [table, a, b] of parts)
    if (a.getTime() < b.getTime()) stored.push(await store.read(table, scope, a, b));
  return { stored, minutesFrom: hourDone };
}

/** Rows summed per peer and bucket of width `ms`, by peer then time. */
function merge(stored: readonly SampleRow[][], fresh: readonly SampleRow[], ms: number) {
  const merged = new Map<string, { peerId: number; bucketStart: Date; rx: bigint; tx: bigint }>();
  for (const rows of [...stored, fresh])
    for (const r of rows) {
      const bucket = floorTo(r.bucketStart, ms);
      const key = `${r.peerId}|${bucket.getTime()}`;
      const m = merged.get(key);
      if (m) {
        m.rx += r.rx;
        m.tx += r.tx;
      } else merged.set(key, { peerId: r.peerId, bucketStart: bucket, rx: r.rx, tx: r.tx });
    }
  return [...merged.values()].sort(
    (x, y) => x.peerId - y.peerId || x.bucketStart.getTime() - y.bucketStart.getTime(),
  );
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
function max(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
