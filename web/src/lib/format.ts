/** Display helpers: bytes, durations, relative times. Pure; `now` is given. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${UNITS[i]}`;
}

export const SIZE_UNITS = { MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 } as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

/** A byte count as an amount (two decimals at most) in the largest unit that gives it exactly. */
export function splitBytes(bytes: number): { amount: number; unit: SizeUnit } {
  for (const unit of ['TiB', 'GiB', 'MiB'] as const) {
    const amount = Math.round((bytes / SIZE_UNITS[unit]) * 100) / 100;
    if (amount >= 1 && toBytes(amount, unit) === bytes) return { amount, unit };
  }
  return { amount: Math.round((bytes / SIZE_UNITS.MiB) * 10_000) / 10_000, unit: 'MiB' };
}

/** An amount in a unit → whole bytes. */
export const toBytes = (amount: number, unit: SizeUnit) => Math.round(amount * SIZE_UNITS[unit]);

/** 7_200_000 → "2 h"; the largest unit that fits, rounded to the nearest whole one. */
export function formatDuration(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 59.5) return `${Math.max(1, Math.round(s))} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(s / 3600);
  if (h < 24) return `${h} h`;
  const d = Math.round(s / 86_400);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** "in 3 days" / "expired 2 h ago" / "never". */
export function expiryText(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const diff = Date.parse(iso) - now;
  return diff > 0 ? `in ${formatDuration(diff)}` : `expired ${formatDuration(diff)} ago`;
}

/** "12 s ago" / "never". */
export function agoText(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const diff = now - Date.parse(iso);
  return diff < 1000 ? 'just now' : `${formatDuration(diff)} ago`;
}

/** An ISO time in the browser's zone, for titles. */
export const localTime = (iso: string | null) =>
  iso === null ? '' : new Date(iso).toLocaleString();

/** A `<input type="datetime-local">` value (local time) for a Date. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The last minute of the month `d` is in, local time. */
export function endOfMonth(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth() + 1, 0, 23, 59, 0, 0);
}

export const REASON_TEXT = {
  traffic_limit: 'traffic limit',
  expired: 'expired',
  manual: 'by hand',
} as const;
