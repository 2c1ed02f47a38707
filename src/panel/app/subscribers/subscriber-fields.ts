import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../../domain/vocabulary.js';
import { invalidInput, PanelError } from '../errors.js';
import { parseQuotaChange, type QuotaFieldsInput } from '../usage/quota-change.js';
import type { SubscriberQuotaChange } from '../usage/subscriber-quotas.js';
import type { SubscriberDetailsPatch } from './ports.js';

/** The subscriber fields of addSubscriber / updateSubscriber (absent = kept). */
export interface SubscriberFieldsInput extends QuotaFieldsInput {
  readonly name?: string;
  readonly email?: string | null;
  readonly telegram_chat_id?: string | null;
  readonly language?: string | null;
  readonly note?: string | null;
  readonly on_hold_days?: number | null;
}

const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;
// A numeric chat id (negative for groups) or an @username.
const TELEGRAM = /^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/;
// Control characters would break log lines and headers.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;

const optionalText = (value: string | null, field: string, max: number, pattern?: RegExp) => {
  if (value === null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (v.length > max) throw invalidInput(field, `is longer than ${max} characters`);
  if (pattern && !pattern.test(v)) throw invalidInput(field, 'is not valid');
  return v;
};

/** A subscriber's message language: one of the templates', or null ("" too) = the panel's. */
function parseLanguage(value: string | null): NotificationLanguage | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  const known = NOTIFICATION_LANGUAGES.find((l) => l.toLowerCase() === v.toLowerCase());
  if (known === undefined)
    throw invalidInput(
      'language',
      `must be one of ${NOTIFICATION_LANGUAGES.join(', ')}, or null (the panel's)`,
    );
  return known;
}

/** Parses the non-quota fields; `requireName`: addSubscriber. Throws invalidInput naming the field. */
export function parseDetails(
  input: SubscriberFieldsInput,
  requireName: boolean,
): SubscriberDetailsPatch {
  const out: { -readonly [K in keyof SubscriberDetailsPatch]: SubscriberDetailsPatch[K] } = {};
  if (input.name !== undefined || requireName) {
    const name = (input.name ?? '').trim();
    if (name === '') throw invalidInput('name', 'must not be empty');
    if (name.length > 255) throw invalidInput('name', 'is longer than 255 characters');
    if (CONTROL.test(name)) throw invalidInput('name', 'must not hold control characters');
    out.name = name;
  }
  if (input.email !== undefined) out.email = optionalText(input.email, 'email', 255, EMAIL);
  if (input.telegram_chat_id !== undefined)
    out.telegram_chat_id = optionalText(input.telegram_chat_id, 'telegram_chat_id', 64, TELEGRAM);
  if (input.language !== undefined) out.language = parseLanguage(input.language);
  if (input.note !== undefined) out.note = optionalText(input.note, 'note', 2000);
  return out;
}

/** The speed, throttle and granular quota fields (issue 15), which updateSubscribers takes too. */
export const SPEED_FIELDS = [
  'download_bps',
  'upload_bps',
  'on_limit',
  'throttle_download_bps',
  'throttle_upload_bps',
  'download_limit',
  'upload_limit',
  'daily_limit',
] as const;

/**
 * Parses the quota fields (as every quota path does: speeds, throttle and granular quotas too, which
 * apply over all its peers) and the hold.
 */
export function parseSubscriberQuota(input: SubscriberFieldsInput): SubscriberQuotaChange {
  const change = parseQuotaChange(input);
  const days = input.on_hold_days;
  if (days === undefined) return change;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650))
    throw invalidInput('on_hold_days', 'must be a number of days from 1 to 3650, or null');
  return { ...change, onHoldDays: days };
}

/** Runs `work`; an error about a request field is re-thrown naming it under `prefix` (`peers[1]`). */
export async function atField<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PanelError && err.field !== undefined) {
      const message = err.message.startsWith(`${err.field}:`)
        ? `${prefix}.${err.message}`
        : `${prefix}.${err.field}: ${err.message}`;
      throw new PanelError(err.code, message, err.subject, `${prefix}.${err.field}`);
    }
    throw err;
  }
}
