/** Display helpers: bytes, durations, relative times, in the language in force; `now` is given. */
import { locale, t } from '../i18n/index.js';
import type { RestrictionReason } from '../../../src/panel/domain/vocabulary.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 1536 → "1.50 KiB". */
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

/** `10 Mbit/s`, `2.5 Mbit/s`, `800 kbit/s` (decimal units, up to 3 digits). */
export function formatRate(bps: number): string {
  const [unit, div] =
    bps >= 1e9
      ? ['Gbit/s', 1e9]
      : bps >= 1e6
        ? ['Mbit/s', 1e6]
        : bps >= 1e3
          ? ['kbit/s', 1e3]
          : ['bit/s', 1];
  return `${Number((bps / div).toPrecision(3)).toLocaleString(locale.value)} ${unit}`;
}

/**
 * A peer's speed limits: "10 Mbit/s down, 2 up" (the unit once when both share it); null when
 * neither direction is limited.
 */
export function rateLimitText(down: number | null, up: number | null): string | null {
  if (down === null && up === null) return null;
  if (down === null) return t('speed.up', { rate: formatRate(up as number) });
  if (up === null) return t('speed.down', { rate: formatRate(down) });
  const [d, u] = [formatRate(down), formatRate(up)];
  const sameUnit = d.split(' ')[1] === u.split(' ')[1];
  return t('speed.both', { down: d, up: sameUnit ? (u.split(' ')[0] ?? u) : u });
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
  if (s < 59.5) return t('time.seconds', { n: Math.max(1, Math.round(s)) });
  const m = Math.round(s / 60);
  if (m < 60) return t('time.minutes', { n: m });
  const h = Math.round(s / 3600);
  if (h < 24) return t('time.hours', { n: h });
  const d = Math.round(s / 86_400);
  return t('time.days', d);
}

/** "in 3 days" / "expired 2 h ago" / "never". */
export function expiryText(iso: string | null, now: number): string {
  if (iso === null) return t('time.never');
  const diff = Date.parse(iso) - now;
  const d = formatDuration(diff);
  return diff > 0 ? t('time.in', { d }) : t('time.expiredAgo', { d });
}

/** "12 s ago" / "never". */
export function agoText(iso: string | null, now: number): string {
  if (iso === null) return t('time.never');
  const diff = now - Date.parse(iso);
  return diff < 1000 ? t('time.justNow') : t('time.ago', { d: formatDuration(diff) });
}

/** An ISO time in the viewer's time zone and language, for cells and titles. */
export const localTime = (iso: string | null) =>
  iso === null ? '' : new Date(iso).toLocaleString(locale.value);

/** The viewer's time zone, to say which zone the times are in. */
export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A `<input type="datetime-local">` value (local time) for a Date. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The last minute of the month `d` is in, local time. */
export function endOfMonth(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth() + 1, 0, 23, 59, 0, 0);
}

/** Why a peer is restricted, in words. */
export const reasonText = (r: RestrictionReason) => t(`reason.${r}`);

/** "3 peers", by the language's plural rules. */
export const peersText = (n: number) => t('common.peers', n);
