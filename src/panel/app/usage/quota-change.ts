import { ByteSizeError, parseByteSize } from '../../../shared/byte-size.js';
import { RateError, parseRate } from '../../../shared/rates.js';
import { parseUtcDate } from '../../../shared/utc-date.js';
import type { OnLimitAction, ResetSchedule } from '../../domain/policy/types.js';
import { ON_LIMIT_ACTIONS } from '../../domain/vocabulary.js';
import { invalidInput } from '../errors.js';
import type { PeerQuotaPatch } from './ports.js';

/**
 * The quota fields as every path takes them (addPeers, updatePeerSettings, the seed's endpoints):
 * an absent field (undefined) is left as it is.
 */
export interface QuotaFieldsInput {
  readonly traffic_limit?: unknown;
  readonly expiry_date?: unknown;
  readonly traffic_warn_threshold?: unknown;
  readonly reset_schedule?: unknown;
  readonly reset_anchor?: unknown;
  readonly download_bps?: unknown;
  readonly upload_bps?: unknown;
  readonly on_limit?: unknown;
  readonly throttle_download_bps?: unknown;
  readonly throttle_upload_bps?: unknown;
  readonly download_limit?: unknown;
  readonly upload_limit?: unknown;
  readonly daily_limit?: unknown;
}

/** A parsed quota change: only the fields that were given. */
export interface QuotaChange {
  /** Bytes per period; null = no limit; 0n = zero bytes (restricted at once). */
  readonly trafficLimit?: bigint | null;
  /** null = never expires. */
  readonly expiryDate?: Date | null;
  readonly warnThreshold?: number;
  readonly schedule?: ResetSchedule;
  /** null = the schedule's first day; absent = the stored anchor (reset to null for none/daily). */
  readonly anchor?: number | null;
  /** Speed limits, bit/s; null = not limited. */
  readonly downloadBps?: bigint | null;
  readonly uploadBps?: bigint | null;
  /** Over a byte quota: cut off or slow down. */
  readonly onLimit?: OnLimitAction;
  /** Speeds while throttled, bit/s; null = that direction not slowed. */
  readonly throttleDownloadBps?: bigint | null;
  readonly throttleUploadBps?: bigint | null;
  /** Bytes per period, one direction (download = the node's tx); null = none. */
  readonly downloadLimit?: bigint | null;
  readonly uploadLimit?: bigint | null;
  /** Bytes (rx + tx) per calendar day; null = none. */
  readonly dailyLimit?: bigint | null;
}

/** A peer's quota columns that a change is resolved against. */
export interface QuotaColumns {
  readonly expiry_date: Date | null;
  readonly reset_schedule: ResetSchedule;
  readonly reset_anchor: number | null;
  /** A peer's throttle (subscribers have none). */
  readonly on_limit?: OnLimitAction;
  readonly throttle_download_bps?: bigint | null;
  readonly throttle_upload_bps?: bigint | null;
}

const SCHEDULES: readonly ResetSchedule[] = ['none', 'daily', 'weekly', 'monthly'];

/** The field names an error names (the seed's endpoint calls the threshold `threshold`). */
export interface QuotaFieldNames {
  readonly threshold?: string;
}

function parseLimit(value: unknown, field = 'traffic_limit'): bigint | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'number' && typeof value !== 'string')
    throw invalidInput(field, 'must be bytes (an integer), a size like "10GiB", or null');
  try {
    return parseByteSize(value);
  } catch (err) {
    if (err instanceof ByteSizeError) throw invalidInput(field, err.message);
    throw err;
  }
}

function parseOnLimit(value: unknown): OnLimitAction {
  if (typeof value !== 'string' || !ON_LIMIT_ACTIONS.includes(value as OnLimitAction))
    throw invalidInput('on_limit', `must be one of ${ON_LIMIT_ACTIONS.join(', ')}`);
  return value as OnLimitAction;
}

function parseRateField(value: unknown, field: string): bigint | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'number' && typeof value !== 'string')
    throw invalidInput(
      field,
      'must be bits per second (an integer), a speed like "10Mbit", or null',
    );
  try {
    return BigInt(parseRate(value));
  } catch (err) {
    if (err instanceof RateError) throw invalidInput(field, err.message);
    throw err;
  }
}

function parseExpiry(value: unknown): Date | null {
  if (value === null || value === '') return null;
  const d = typeof value === 'string' ? parseUtcDate(value) : null;
  if (!d)
    throw invalidInput(
      'expiry_date',
      `${typeof value === 'string' ? `"${value.slice(0, 64)}" is not` : 'must be'} an ISO 8601 date-time (no offset = UTC), "" or null`,
    );
  return d;
}

function parseThreshold(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100)
    throw invalidInput(field, 'must be an integer from 1 to 100');
  return value;
}

function parseSchedule(value: unknown): ResetSchedule {
  if (typeof value !== 'string' || !SCHEDULES.includes(value as ResetSchedule))
    throw invalidInput('reset_schedule', `must be one of ${SCHEDULES.join(', ')}`);
  return value as ResetSchedule;
}

function parseAnchor(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 31)
    throw invalidInput('reset_anchor', 'must be a day from 1 to 31, an ISO weekday 1–7, or null');
  return value;
}

/**
 * Parses the quota fields of any request, the same way on every path: `null` or `""` clears a
 * limit or a date, a limit of `0` is zero bytes, sizes take units ("10GiB"). Throws invalidInput
 * naming the field; nothing is written before this has passed.
 */
export function parseQuotaChange(
  input: QuotaFieldsInput,
  names: QuotaFieldNames = {},
): QuotaChange {
  const change: { -readonly [K in keyof QuotaChange]: QuotaChange[K] } = {};
  if (input.traffic_limit !== undefined) change.trafficLimit = parseLimit(input.traffic_limit);
  if (input.expiry_date !== undefined) change.expiryDate = parseExpiry(input.expiry_date);
  if (input.traffic_warn_threshold !== undefined)
    change.warnThreshold = parseThreshold(
      input.traffic_warn_threshold,
      names.threshold ?? 'traffic_warn_threshold',
    );
  if (input.reset_schedule !== undefined) change.schedule = parseSchedule(input.reset_schedule);
  if (input.reset_anchor !== undefined) change.anchor = parseAnchor(input.reset_anchor);
  if (input.download_bps !== undefined)
    change.downloadBps = parseRateField(input.download_bps, 'download_bps');
  if (input.upload_bps !== undefined)
    change.uploadBps = parseRateField(input.upload_bps, 'upload_bps');
  if (input.on_limit !== undefined) change.onLimit = parseOnLimit(input.on_limit);
  if (input.throttle_download_bps !== undefined)
    change.throttleDownloadBps = parseRateField(
      input.throttle_download_bps,
      'throttle_download_bps',
    );
  if (input.throttle_upload_bps !== undefined)
    change.throttleUploadBps = parseRateField(input.throttle_upload_bps, 'throttle_upload_bps');
  for (const [field, key] of [
    ['download_limit', 'downloadLimit'],
    ['upload_limit', 'uploadLimit'],
    ['daily_limit', 'dailyLimit'],
  ] as const)
    if (input[field] !== undefined) change[key] = parseLimit(input[field], field);
  return change;
}

/** True when the change gives no field at all. */
export function isEmptyChange(change: QuotaChange): boolean {
  return Object.keys(change).length === 0;
}

/** The schedule and anchor a change leaves on a peer; throws when the pair is not valid. */
function scheduleOf(
  current: QuotaColumns,
  change: QuotaChange,
): { schedule: ResetSchedule; anchor: number | null } {
  const schedule = change.schedule ?? current.reset_schedule;
  const anchor = change.anchor !== undefined ? change.anchor : current.reset_anchor;
  if (schedule === 'none' || schedule === 'daily') {
    if (change.anchor !== undefined && change.anchor !== null)
      throw invalidInput('reset_anchor', `must be null for reset_schedule "${schedule}"`);
    return { schedule, anchor: null };
  }
  if (anchor !== null && schedule === 'weekly' && anchor > 7)
    throw invalidInput('reset_anchor', 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)');
  return { schedule, anchor };
}

/** A throttle needs a speed to slow down to: refused (naming the field) when none would be left. */
function checkThrottle(current: QuotaColumns, change: QuotaChange): void {
  if (
    change.onLimit === undefined &&
    change.throttleDownloadBps === undefined &&
    change.throttleUploadBps === undefined
  )
    return;
  const onLimit = change.onLimit ?? current.on_limit ?? 'restrict';
  const down =
    change.throttleDownloadBps !== undefined
      ? change.throttleDownloadBps
      : (current.throttle_download_bps ?? null);
  const up =
    change.throttleUploadBps !== undefined
      ? change.throttleUploadBps
      : (current.throttle_upload_bps ?? null);
  if (onLimit === 'throttle' && down === null && up === null)
    throw invalidInput(
      'throttle_download_bps',
      'is required with on_limit "throttle" (or throttle_upload_bps): the speed over the limit',
    );
}

/**
 * What a change writes to one peer, with what follows from it: a new expiry date clears the
 * "expiring soon" memory (the new date warns once in its turn); a new schedule or anchor starts
 * the period now (it runs on to the schedule's next boundary). A value equal to the stored one
 * changes nothing. Pure; throws invalidInput for an anchor the schedule does not take.
 */
export function quotaPatchFor(
  current: QuotaColumns,
  change: QuotaChange,
  now: Date,
): PeerQuotaPatch {
  const patch: { -readonly [K in keyof PeerQuotaPatch]: PeerQuotaPatch[K] } = {};
  if (change.trafficLimit !== undefined) patch.traffic_limit = change.trafficLimit;
  if (change.warnThreshold !== undefined) patch.traffic_warn_threshold = change.warnThreshold;
  if (change.downloadBps !== undefined) patch.download_bps = change.downloadBps;
  if (change.uploadBps !== undefined) patch.upload_bps = change.uploadBps;
  checkThrottle(current, change);
  if (change.onLimit !== undefined) patch.on_limit = change.onLimit;
  if (change.throttleDownloadBps !== undefined)
    patch.throttle_download_bps = change.throttleDownloadBps;
  if (change.throttleUploadBps !== undefined) patch.throttle_upload_bps = change.throttleUploadBps;
  if (change.downloadLimit !== undefined) patch.download_limit = change.downloadLimit;
  if (change.uploadLimit !== undefined) patch.upload_limit = change.uploadLimit;
  if (change.dailyLimit !== undefined) patch.daily_limit = change.dailyLimit;
  if (
    change.expiryDate !== undefined &&
    change.expiryDate?.getTime() !== current.expiry_date?.getTime()
  ) {
    patch.expiry_date = change.expiryDate;
    patch.expiry_warned_for = null;
  }
  if (change.schedule !== undefined || change.anchor !== undefined) {
    const { schedule, anchor } = scheduleOf(current, change);
    if (schedule !== current.reset_schedule || anchor !== current.reset_anchor) {
      patch.reset_schedule = schedule;
      patch.reset_anchor = anchor;
      patch.period_started_at = now;
    }
  }
  return patch;
}

/** The quota columns of a new peer (addPeers): the change over the defaults. */
export function initialQuotaColumns(change: QuotaChange, now: Date) {
  const defaults: QuotaColumns = { expiry_date: null, reset_schedule: 'none', reset_anchor: null };
  const patch = quotaPatchFor(defaults, change, now);
  return {
    traffic_limit: patch.traffic_limit ?? null,
    expiry_date: patch.expiry_date ?? null,
    ...(patch.traffic_warn_threshold !== undefined && {
      traffic_warn_threshold: patch.traffic_warn_threshold,
    }),
    reset_schedule: patch.reset_schedule ?? 'none',
    reset_anchor: patch.reset_anchor ?? null,
    download_bps: patch.download_bps ?? null,
    upload_bps: patch.upload_bps ?? null,
    ...(patch.on_limit !== undefined && { on_limit: patch.on_limit }),
    throttle_download_bps: patch.throttle_download_bps ?? null,
    throttle_upload_bps: patch.throttle_upload_bps ?? null,
    download_limit: patch.download_limit ?? null,
    upload_limit: patch.upload_limit ?? null,
    daily_limit: patch.daily_limit ?? null,
  };
}
