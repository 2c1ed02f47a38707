import type { SamplesStore } from './samples-ports.js';
import { DAY_ROLLUP_KEY, floorTo, HOUR_ROLLUP_KEY, INTERVAL_MS } from './usage-series.js';
import type { PanelSettings } from '../settings/panel-settings.js';

const HOUR = INTERVAL_MS.hour;
const DAY = INTERVAL_MS.day;
/** Polls of a minute may still land this long after it ended. */
const GRACE_MS = 2 * 60_000;
/** Buckets rolled up per run at most (a panel that was down catches up over a few runs). */
const MAX_STEPS = 96;

/**
 * Rolls finished hours of minute samples into hour rows and finished days of hour rows into day
 * rows (each step stores its watermark in the same transaction, so no bucket is counted twice),
 * then deletes what retention lets go. Never deletes a row that has not been rolled up yet.
 */
export async function maintainSamples(
  store: SamplesStore,
  settings: PanelSettings,
  now: Date,
): Promise<{ hours: number; days: number; deleted: number }> {
  const hourDone = await rollup(store, 'hour', floorTo(new Date(now.getTime() - GRACE_MS), HOUR));
  const hourMark = (await store.watermark(HOUR_ROLLUP_KEY)) ?? new Date(0);
  const dayDone = await rollup(store, 'day', floorTo(hourMark, DAY));
  const dayMark = (await store.watermark(DAY_ROLLUP_KEY)) ?? new Date(0);

  const ago = (ms: number) => new Date(now.getTime() - ms);
  let deleted = await store.deleteBefore(
    'minute',
    earlier(ago(settings.usage_minute_retention_hours * HOUR), hourMark),
  );
  deleted += await store.deleteBefore(
    'hour',
    earlier(ago(settings.usage_hour_retention_days * DAY), dayMark),
  );
  if (settings.usage_day_retention_days !== null)
    deleted += await store.deleteBefore('day', ago(settings.usage_day_retention_days * DAY));
  return { hours: hourDone, days: dayDone, deleted };
}

async function rollup(store: SamplesStore, to: 'hour' | 'day', until: Date): Promise<number> {
  const [source, target, key, width] =
    to === 'hour'
      ? (['minute', 'hour', HOUR_ROLLUP_KEY, HOUR] as const)
      : (['hour', 'day', DAY_ROLLUP_KEY, DAY] as const);
  const stored = await store.watermark(key);
  const first = stored ?? (await store.earliest(source));
  if (first === null) return 0;
  let mark: Date = stored ?? floorTo(first, width);
  let steps = 0;
  for (; steps < MAX_STEPS && mark.getTime() < until.getTime(); steps++) {
    const start: Date = mark;
    const end = new Date(start.getTime() + width);
    const sums = await store.sums(source, start, end);
    await store.addRollup(
      target,
      sums.map((s) => ({ ...s, bucketStart: start })),
      key,
      end,
    );
    mark = end;
  }
  return steps;
}

function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
