import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { PeerStatus } from '../../domain/vocabulary.js';
import type { DumpPeer } from '../../../shared/wire/agent-api.js';
import { parseNetwork } from '../../../shared/ip.js';

/** A peer as the database wants it. */
export interface DesiredPeer {
  readonly publicKey: string;
  /** Comma-separated, as stored: `10.8.0.2/32, fd00:8::2/128`. */
  readonly allowedIp: string;
  readonly presharedKey: string | null;
  readonly status: PeerStatus;
  /** Speed limits, bit/s; null = not limited. */
  readonly downloadBps: number | null;
  readonly uploadBps: number | null;
}

/** A peer's speed limits as the agent takes them (null: none). */
export interface PeerRateLimit {
  readonly download_bps: number | null;
  readonly upload_bps: number | null;
}

/** A peer to write to the node (PUT is its whole state). */
export interface PeerWrite {
  readonly publicKey: string;
  readonly allowedIps: readonly string[];
  readonly presharedKey: string | null;
  readonly rateLimit: PeerRateLimit | null;
  /** Not on the node at all: its WireGuard counters start from zero. */
  readonly missing: boolean;
  /** What `applied` should remember once written. */
  readonly fingerprint: string;
}

/** A peer on the node that the panel does not know. */
export interface DriftPeer {
  readonly publicKey: string;
  readonly allowedIps: readonly string[];
  readonly endpoint: string | null;
  readonly latestHandshake: number | null;
}

export interface ReconcilePlan {
  readonly put: readonly PeerWrite[];
  /** Restricted peers, and peers the panel deleted, that are still on the node. */
  readonly remove: readonly string[];
  /** Unknown peers: reported, never removed. */
  readonly drift: readonly DriftPeer[];
  /** Fingerprints of active peers that already match (after a restart `applied` is empty). */
  readonly matched: ReadonlyMap<string, string>;
  /** The desired forms of this plan's active peers: pass them to the next plan (see DesiredForm). */
  readonly forms: ReadonlyMap<string, DesiredForm>;
}

/**
 * An active peer's stored allowed IPs and preshared key in the forms the plan compares, by public
 * key. Parsing addresses and hashing keys is most of a plan's cost; between two plans few peers
 * change, so a plan reuses the previous plan's forms where the stored values are the same. Kept
 * between polls for every active peer, so only what is costly to compute: the list of allowed IPs
 * a write sends is made again for the few peers written.
 */
export interface DesiredForm {
  readonly allowedIp: string;
  readonly presharedKey: string | null;
  readonly rateLimit: PeerRateLimit | null;
  readonly canonical: string;
  readonly fingerprint: string;
}

function rateLimitOf(d: DesiredPeer): PeerRateLimit | null {
  return d.downloadBps === null && d.uploadBps === null
    ? null
    : { download_bps: d.downloadBps, upload_bps: d.uploadBps };
}

function formOf(d: DesiredPeer, previous: DesiredForm | undefined): DesiredForm {
  if (
    previous?.allowedIp === d.allowedIp &&
    previous.presharedKey === d.presharedKey &&
    (previous.rateLimit?.download_bps ?? null) === d.downloadBps &&
    (previous.rateLimit?.upload_bps ?? null) === d.uploadBps
  )
    return previous;
  const canonical = canonicalAllowedIps(allowedIpList(d.allowedIp));
  const rateLimit = rateLimitOf(d);
  const fingerprint = peerFingerprint(canonical, d.presharedKey, rateLimit);
  return {
    allowedIp: d.allowedIp,
    presharedKey: d.presharedKey,
    rateLimit,
    canonical,
    fingerprint,
  };
}

/** The write of a desired peer (its allowed IPs listed again: few peers are written). */
function writeOf(d: DesiredPeer, form: DesiredForm, missing: boolean): PeerWrite {
  return {
    publicKey: d.publicKey,
    allowedIps: allowedIpList(d.allowedIp),
    presharedKey: d.presharedKey,
    rateLimit: form.rateLimit,
    fingerprint: form.fingerprint,
    missing,
  };
}

/** True when the node's allowed IPs are the canonical set (mostly they are, in the same order). */
function sameAllowedIps(onNode: readonly string[], canonical: string): boolean {
  return onNode.join(',') === canonical || canonicalAllowedIps(onNode) === canonical;
}

/** The stored allowed IPs as CIDRs (a bare address gets /32 or /128). */
export function allowedIpList(stored: string): string[] {
  return stored
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.includes('/') ? s : `${s}/${isIP(s) === 6 ? 128 : 32}`));
}

/** Allowed IPs compared as WireGuard keeps them: networks with host bits cleared, as a set. */
export function canonicalAllowedIps(list: readonly string[]): string {
  return [...new Set(list.map((c) => parseNetwork(c)?.cidr ?? c))].sort().join(',');
}

/**
 * What a PUT wrote, in a form that does not keep the preshared key. The speed limits are in it
 * too: the dump does not show them, so a changed one is noticed here.
 */
export function peerFingerprint(
  allowed: string,
  presharedKey: string | null,
  rateLimit: PeerRateLimit | null = null,
): string {
  // The first 8 bytes' hex, made from the digest's bytes: a string of its own (a slice of the
  // whole hex text would keep that alive, one per peer for as long as the fingerprint is kept).
  const psk = presharedKey
    ? createHash('sha256').update(presharedKey).digest().toString('hex', 0, 8)
    : '-';
  const rate = rateLimit ? `|${rateLimit.download_bps ?? '-'}/${rateLimit.upload_bps ?? '-'}` : '';
  return `${allowed}|${psk}${rate}`;
}

/**
 * Compares what the database wants with what the node has. Pure.
 *
 * The dump never shows preshared keys, so a changed one is noticed through `applied`: the
 * fingerprint of what the panel last wrote for each peer (lost on restart; then a peer whose
 * allowed IPs match is assumed up to date).
 */
export function planReconcile(
  desired: readonly DesiredPeer[],
  observed: readonly DumpPeer[],
  pendingRemovals: ReadonlySet<string>,
  applied: ReadonlyMap<string, string>,
  previousForms: ReadonlyMap<string, DesiredForm> = new Map(),
): ReconcilePlan {
  const onNode = new Map(observed.map((p) => [p.public_key, p]));
  const known = new Set<string>();
  const put: PeerWrite[] = [];
  const remove: string[] = [];
  const matched = new Map<string, string>();
  const forms = new Map<string, DesiredForm>();
  for (const d of desired) {
    known.add(d.publicKey);
    const present = onNode.get(d.publicKey);
    if (d.status !== 'active') {
      if (present) remove.push(d.publicKey);
      continue;
    }
    const form = formOf(d, previousForms.get(d.publicKey));
    forms.set(d.publicKey, form);
    const { canonical, fingerprint } = form;
    if (!present) put.push(writeOf(d, form, true));
    else if (!sameAllowedIps(present.allowed_ips, canonical)) put.push(writeOf(d, form, false));
    else if ((applied.get(d.publicKey) ?? fingerprint) !== fingerprint)
      put.push(writeOf(d, form, false));
    else matched.set(d.publicKey, fingerprint);
  }
  const drift: DriftPeer[] = [];
  for (const p of observed) {
    if (known.has(p.public_key)) continue;
    if (pendingRemovals.has(p.public_key)) remove.push(p.public_key);
    else
      drift.push({
        publicKey: p.public_key,
        allowedIps: p.allowed_ips,
        endpoint: p.endpoint,
        latestHandshake: p.latest_handshake,
      });
  }
  return { put, remove, drift, matched, forms };
}
