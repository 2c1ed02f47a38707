import { DateTime } from 'luxon';
import type { ResetSchedule } from './types.js';

/**
 * The latest period boundary at or before `now` for a schedule, in time zone `zone`; null for
 * `none`. Boundaries fall at local midnight: every day; on ISO weekday `anchor` (1 = Monday … 7 = Sunday, 0 also
 * Sunday; default Monday); on day `anchor` of the month (default 1; 31 means the month's last day).
 */
export function latestBoundary(
  schedule: ResetSchedule,
  anchor: number | null,
  now: Date,
  zone: string,
): Date | null {
  if (schedule === 'none') return null;
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid) throw new Error(`invalid time zone "${zone}"`);
  const today = local.startOf('day');
  if (schedule === 'daily') return today.toJSDate();
  if (schedule === 'weekly') {
    const weekday = anchor === null ? 1 : clamp(anchor, 0, 7) % 7 || 7; // 0 and 7: Sunday
    const back = (today.weekday - weekday + 7) % 7;
    return today.minus({ days: back }).toJSDate();
  }
  const thisMonth = dayOfMonth(today.startOf('month'), anchor);
  if (thisMonth <= local) return thisMonth.toJSDate();
  return dayOfMonth(today.startOf('month').minus({ months: 1 }), anchor).toJSDate();
}

/** The first boundary strictly after `now` (for "resets in …" in the UI and the API). */
export function nextBoundary(
  schedule: ResetSchedule,
  anchor: number | null,
  now: Date,
  zone: string,
): Date | null {
  const latest = latestBoundary(schedule, anchor, now, zone);
  if (latest === null) return null;
  const l = DateTime.fromJSDate(latest, { zone });
  if (schedule === 'daily') return l.plus({ days: 1 }).startOf('day').toJSDate();
  if (schedule === 'weekly') return l.plus({ weeks: 1 }).startOf('day').toJSDate();
  return dayOfMonth(l.startOf('month').plus({ months: 1 }), anchor).toJSDate();
}

/** Midnight of day `anchor` (clamped to the month's length) of the month `m` is in. */
function dayOfMonth(m: DateTime, anchor: number | null): DateTime {
  const day = clamp(anchor ?? 1, 1, 31);
  return m.set({ day: Math.min(day, m.daysInMonth ?? 28) }).startOf('day');
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.trunc(v)));
}
