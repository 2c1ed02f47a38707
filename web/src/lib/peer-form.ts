/**
 * The peer form's values, its checks and the bodies it sends (addPeers, single or bulk;
 * updatePeerSettings). Pure: the component holds the state and talks to the panel.
 */
import type { OnLimitAction } from '../../../src/panel/domain/vocabulary';
import type { PeerJson, ResetSchedule } from '../api/types';
import { t } from '../i18n/index.js';
import {
  checkAnchor,
  checkLimit,
  checkRange,
  checkRequiredRange,
  checkThreshold,
  failing,
} from './field-checks.js';
import { splitBytes, toBytes, toLocalInput, type SizeUnit } from './format.js';

/** The most peers one bulk add makes (the panel's MAX_BULK_ADD). */
export const MAX_BULK_ADD = 1000;

export interface PeerForm {
  name: string;
  address: string;
  dns: string;
  mtu: number | '';
  keepalive: number | '';
  limit: number | '';
  unit: SizeUnit;
  expiry: string;
  threshold: number | '';
  schedule: ResetSchedule;
  anchor: number | '';
  publicKey: string;
  privateKey: string;
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
  /** A preshared key made by the panel for each new peer. */
  psk: boolean;
  /** Several peers at once: `count` of them, named `<name> <start>`, `<name> <start + 1>`, … */
  many: boolean;
  count: number | '';
  start: number | '';
}

/** The form for a new peer, or filled with a peer's settings. */
export function formOf(p: PeerJson | null): PeerForm {
  const limit = p?.traffic_limit == null ? null : splitBytes(p.traffic_limit);
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
    name: p?.name ?? '',
    address: p?.allowed_ip ?? '',
    dns: p?.DNS ?? '',
    mtu: p?.mtu || '',
    keepalive: p?.keepalive || '',
    limit: limit?.amount ?? '',
    unit: limit?.unit ?? 'GiB',
    expiry: p?.expiry_date ? toLocalInput(new Date(p.expiry_date)) : '',
    threshold: p?.traffic_warn_threshold ?? 80,
    schedule: p?.reset_schedule ?? 'none',
    anchor: p?.reset_anchor ?? '',
    publicKey: '',
    privateKey: '',
    psk: false,
    many: false,
    count: 10,
    start: 1,
  };
}

/** Every mistake of the form at once, by field; `{}` when there is none. */
export function checkPeerForm(f: PeerForm): Record<string, string> {
  return failing({
    name: f.name.trim().length > 255 ? t('checks.nameLong') : '',
    mtu: checkRange(f.mtu, 576, 9200, t('checks.label.mtu')),
    keepalive: checkRange(f.keepalive, 0, 65535, t('checks.label.keepalive')),
    limit: checkLimit(f.limit, f.unit),
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
    threshold: checkThreshold(f.threshold),
    anchor: checkAnchor(f.anchor, f.schedule),
    count: f.many ? checkRequiredRange(f.count, 1, MAX_BULK_ADD, t('checks.label.count')) : '',
    start: f.many ? checkRequiredRange(f.start, 1, 1_000_000_000, t('checks.label.start')) : '',
  });
}

function addresses(f: PeerForm) {
  return f.address
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/** A speed in Mbit/s: empty, or from 0.008 (8 kbit/s) to 100,000 (100 Gbit/s). */
function checkSpeed(v: number | ''): string {
  if (v === '') return '';
  const n = Number(v);
  return Number.isFinite(n) && n >= 0.008 && n <= 100_000 ? '' : t('checks.speed');
}

const bps = (v: number | '') => (v === '' ? null : Math.round(Number(v) * 1_000_000));
const sized = (v: number | '', unit: SizeUnit) => (v === '' ? null : toBytes(Number(v), unit));

function quota(f: PeerForm) {
  return {
    download_bps: bps(f.downMbit),
    upload_bps: bps(f.upMbit),
    on_limit: f.onLimit,
    throttle_download_bps: bps(f.throttleDownMbit),
    throttle_upload_bps: bps(f.throttleUpMbit),
    download_limit: sized(f.downloadLimit, f.downloadUnit),
    upload_limit: sized(f.uploadLimit, f.uploadUnit),
    daily_limit: sized(f.dailyLimit, f.dailyUnit),
    traffic_limit: f.limit === '' ? null : toBytes(Number(f.limit), f.unit),
    expiry_date: f.expiry ? new Date(f.expiry).toISOString() : null,
    traffic_warn_threshold: Number(f.threshold),
    reset_schedule: f.schedule,
    reset_anchor:
      (f.schedule === 'weekly' || f.schedule === 'monthly') && f.anchor !== ''
        ? Number(f.anchor)
        : null,
  };
}

/** updatePeerSettings: every field (0 = default MTU, no keepalive). */
export function editBody(f: PeerForm, id: string) {
  return {
    id,
    name: f.name.trim(),
    allowed_ip: addresses(f).join(', '),
    DNS: f.dns.trim(),
    mtu: f.mtu === '' ? 0 : Number(f.mtu),
    keepalive: f.keepalive === '' ? 0 : Number(f.keepalive),
    ...quota(f),
  };
}

/** addPeers: one peer (address and keys if given), or a bulk add of `count` peers. */
export function addBody(f: PeerForm) {
  const list = addresses(f);
  const shared = {
    name: f.name.trim(),
    ...(f.dns.trim() && { DNS: f.dns.trim() }),
    ...(f.mtu !== '' && { mtu: Number(f.mtu) }),
    ...(f.keepalive !== '' && { keepalive: Number(f.keepalive) }),
    ...(f.psk && { preshared_key_bulkAdd: true }),
    ...quota(f),
  };
  if (f.many)
    return {
      ...shared,
      bulkAdd: true,
      bulkAddAmount: Number(f.count),
      bulkAddStart: Number(f.start),
    };
  return {
    ...shared,
    ...(list.length > 0 && { allowed_ips: list }),
    ...(f.publicKey.trim() && { public_key: f.publicKey.trim() }),
    ...(f.privateKey.trim() && { private_key: f.privateKey.trim() }),
  };
}

/** The names a bulk add gives: the first and the last. */
export function bulkNames(f: PeerForm): { first: string; last: string } {
  const prefix = f.name.trim() || 'BulkPeer';
  const start = Number(f.start) || 1;
  const count = Math.max(1, Number(f.count) || 1);
  return { first: `${prefix} ${start}`, last: `${prefix} ${start + count - 1}` };
}

/** The number after the highest `<prefix> <n>` among `names` (1 when there is none). */
export function nextNumber(prefix: string, names: readonly string[]): number {
  const head = `${prefix.trim() || 'BulkPeer'} `.toLowerCase();
  let max = 0;
  for (const n of names) {
    const lower = n.toLowerCase();
    if (!lower.startsWith(head)) continue;
    const rest = lower.slice(head.length);
    if (/^[0-9]{1,9}$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return max + 1;
}
