/**
 * The peer form's values, its checks and the bodies it sends (addPeers, single or bulk;
 * updatePeerSettings). Pure: the component holds the state and talks to the panel.
 */
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
import { checkSpeedForm, speedBody, speedFormOf, type SpeedForm } from './speed-form.js';

/** The most peers one bulk add makes (the panel's MAX_BULK_ADD). */
export const MAX_BULK_ADD = 1000;

export interface PeerForm extends SpeedForm {
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
  return {
    ...speedFormOf(p),
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
    ...checkSpeedForm(f),
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

function quota(f: PeerForm) {
  return {
    ...speedBody(f),
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
