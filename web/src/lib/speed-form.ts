/**
 * The speed limits, throttle and granular quotas of a form (issue 15), shared by the peer and the
 * subscriber forms: their values, checks, the request fields and which field an error of the
 * panel's belongs to. Pure.
 */
import type { OnLimitAction } from '../../../src/panel/domain/vocabulary';
import { t } from '../i18n/index.js';
import { checkLimit } from './field-checks.js';
import { splitBytes, toBytes, type SizeUnit } from './format.js';

export interface SpeedForm {
  /** Speed limits and throttle speeds in Mbit/s ('' = none). */
  downMbit: number | '';
  upMbit: number | '';
  onLimit: OnLimitAction;
  throttleDownMbit: number | '';
  throttleUpMbit: number | '';
  /** The granular quotas: download, upload per period, and per day. */
  downloadLimit: number | '';
  downloadUnit: SizeUnit;
  uploadLimit: number | '';
  uploadUnit: SizeUnit;
  dailyLimit: number | '';
  dailyUnit: SizeUnit;
}

/** The fields a peer's or a subscriber's JSON shows them in. */
export interface SpeedJson {
  readonly download_bps?: number | null;
  readonly upload_bps?: number | null;
  readonly on_limit?: OnLimitAction;
  readonly throttle_download_bps?: number | null;
  readonly throttle_upload_bps?: number | null;
  readonly download_limit?: number | null;
  readonly upload_limit?: number | null;
  readonly daily_limit?: number | null;
}

/** The form's speed part, empty or filled from a peer's or subscriber's JSON. */
export function speedFormOf(p: SpeedJson | null): SpeedForm {
  const bytes = (b: number | null | undefined) => (b == null ? null : splitBytes(b));
  const mbit = (bps: number | null | undefined): number | '' =>
    bps == null ? '' : Math.round(bps / 1000) / 1000;
  const [down, up, day] = [bytes(p?.download_limit), bytes(p?.upload_limit), bytes(p?.daily_limit)];
  return {
    downMbit: mbit(p?.download_bps),
    upMbit: mbit(p?.upload_bps),
    onLimit: p?.on_limit ?? 'restrict',
    throttleDownMbit: mbit(p?.throttle_download_bps),
    throttleUpMbit: mbit(p?.throttle_upload_bps),
    downloadLimit: down?.amount ?? '',
    downloadUnit: down?.unit ?? 'GiB',
    uploadLimit: up?.amount ?? '',
    uploadUnit: up?.unit ?? 'GiB',
    dailyLimit: day?.amount ?? '',
    dailyUnit: day?.unit ?? 'GiB',
  };
}

/** A speed in Mbit/s: empty, or from 0.008 (8 kbit/s) to 100,000 (100 Gbit/s). */
function checkSpeed(v: number | ''): string {
  if (v === '') return '';
  const n = Number(v);
  return Number.isFinite(n) && n >= 0.008 && n <= 100_000 ? '' : t('checks.speed');
}

/** The speed part's mistakes by field ('' = none; the caller's `failing` drops those). */
export function checkSpeedForm(f: SpeedForm) {
  return {
    downloadLimit: checkLimit(f.downloadLimit, f.downloadUnit),
    uploadLimit: checkLimit(f.uploadLimit, f.uploadUnit),
    dailyLimit: checkLimit(f.dailyLimit, f.dailyUnit),
    downMbit: checkSpeed(f.downMbit),
    upMbit: checkSpeed(f.upMbit),
    throttleDownMbit:
      checkSpeed(f.throttleDownMbit) ||
      (f.onLimit === 'throttle' && f.throttleDownMbit === '' && f.throttleUpMbit === ''
        ? t('checks.throttleSpeed')
        : ''),
    throttleUpMbit: checkSpeed(f.throttleUpMbit),
  };
}

const bps = (v: number | '') => (v === '' ? null : Math.round(Number(v) * 1_000_000));
const sized = (v: number | '', unit: SizeUnit) => (v === '' ? null : toBytes(Number(v), unit));

/** The request fields of the speed part (every one; empty = none). */
export function speedBody(f: SpeedForm) {
  return {
    download_bps: bps(f.downMbit),
    upload_bps: bps(f.upMbit),
    on_limit: f.onLimit,
    throttle_download_bps: bps(f.throttleDownMbit),
    throttle_upload_bps: bps(f.throttleUpMbit),
    download_limit: sized(f.downloadLimit, f.downloadUnit),
    upload_limit: sized(f.uploadLimit, f.uploadUnit),
    daily_limit: sized(f.dailyLimit, f.dailyUnit),
  };
}

/** The panel's field names → the form's (for useFormErrors). */
export const SPEED_ERROR_FIELDS = {
  download_bps: 'downMbit',
  upload_bps: 'upMbit',
  on_limit: 'onLimit',
  throttle_download_bps: 'throttleDownMbit',
  throttle_upload_bps: 'throttleUpMbit',
  download_limit: 'downloadLimit',
  upload_limit: 'uploadLimit',
  daily_limit: 'dailyLimit',
} as const;

/** The form's values → the error a change clears (for clearOnChange). */
export const SPEED_CLEARS = {
  downMbit: 'downMbit',
  upMbit: 'upMbit',
  onLimit: 'throttleDownMbit',
  throttleDownMbit: 'throttleDownMbit',
  throttleUpMbit: 'throttleUpMbit',
  downloadLimit: 'downloadLimit',
  downloadUnit: 'downloadLimit',
  uploadLimit: 'uploadLimit',
  uploadUnit: 'uploadLimit',
  dailyLimit: 'dailyLimit',
  dailyUnit: 'dailyLimit',
} as const;
