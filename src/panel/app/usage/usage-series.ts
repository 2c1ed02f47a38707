import type { UsageSampleTableName } from '../../adapters/db/schema/usage-samples-table.js';
import type { SampleRow, SampleScope, SamplesStore } from './samples-ports.js';

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
 * hour, today) are added in, so a series is complete up to the last poll.
 */
export async function readSeries(
  store: SamplesStore,
  scope: SampleScope,
  interval: Interval,
  fromIn: Date,
  toIn: Date,
): Promise<SampleRow[]> {
  const ms = INTERVAL_MS[interval];
  const from = floorTo(fromIn, ms);
  const to = new Date(Math.ceil(toIn.getTime() / ms) * ms);
  if (interval === 'minute') return store.read('peer_usage_minute', scope, from, to);

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

  const merged = new Map<string, { peerId: number; bucketStart: Date; rx: bigint; tx: bigint }>();
  for (const [table, a, b] of parts) {
    if (a.getTime() >= b.getTime()) continue;
    for (const r of await store.read(table, scope, a, b)) {
      const bucket = floorTo(r.bucketStart, ms);
      const key = `${r.peerId}|${bucket.getTime()}`;
      const m = merged.get(key);
      if (m) {
        m.rx += r.rx;
        m.tx += r.tx;
      } else merged.set(key, { peerId: r.peerId, bucketStart: bucket, rx: r.rx, tx: r.tx });
    }
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
