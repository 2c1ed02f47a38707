/**
 * The checks a form runs before it asks the panel, so every mistake shows at once, under its field,
 * in the user's words and units (not the API's field names, not bytes). Each check answers the
 * message or '' when the value is fine. The panel checks again: its answer is the last word.
 */
import { t } from '../i18n/index.js';
import { SIZE_UNITS, type SizeUnit } from './format.js';

/** The largest limit the API takes: 2^53 − 1 bytes. */
const MAX_LIMIT_BYTES = Number.MAX_SAFE_INTEGER;

type Value = number | string | '';
const isWhole = (v: Value) => v !== '' && Number.isInteger(Number(v));

/** An optional whole number from `min` to `max`; `label` names the field in the message. */
export function checkRange(v: Value, min: number, max: number, label: string): string {
  if (v === '' || v === null || v === undefined) return '';
  if (!isWhole(v)) return t('checks.whole', { label, min, max });
  const n = Number(v);
  return n < min || n > max ? t('checks.range', { label, min, max }) : '';
}

/** A required whole number from `min` to `max`. */
export function checkRequiredRange(v: Value, min: number, max: number, label: string): string {
  if (v === '' || v === null || v === undefined) return t('checks.required', { label });
  return checkRange(v, min, max, label);
}

/** A traffic limit in a unit: not negative, not over what the panel counts. */
export function checkLimit(amount: Value, unit: SizeUnit): string {
  if (amount === '' || amount === null || amount === undefined) return '';
  const n = Number(amount);
  if (!Number.isFinite(n)) return t('checks.limitNumber');
  if (n < 0) return t('checks.limitNegative');
  if (n * SIZE_UNITS[unit] > MAX_LIMIT_BYTES) {
    const max = Math.floor(MAX_LIMIT_BYTES / SIZE_UNITS[unit]);
    return t('checks.limitMax', { max: max.toLocaleString(), unit });
  }
  return '';
}

/** The warning threshold: a percentage of the limit, 1 to 100. */
export const checkThreshold = (v: Value) =>
  checkRequiredRange(v, 1, 100, t('checks.label.threshold'));

/** The reset day: an ISO weekday (1–7) or a day of the month (1–31). */
export function checkAnchor(v: Value, schedule: string): string {
  if (schedule === 'weekly') return checkRange(v, 1, 7, t('checks.label.weekday'));
  if (schedule === 'monthly') return checkRange(v, 1, 31, t('checks.label.monthDay'));
  return '';
}

/** Whether a `datetime-local` value lies before `now`: the peer would be restricted at once. */
export const expiryInPast = (local: string, now: number) =>
  local !== '' && new Date(local).getTime() <= now;

/** The messages of a form's checks, only the failing ones. */
export function failing(checks: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(checks).filter(([, m]) => m !== ''));
}
