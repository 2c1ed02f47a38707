import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { PeerStatus } from '../../adapters/db/schema/enums.js';
import type { DumpPeer } from '../../../shared/wire/agent-api.js';
import { parseNetwork } from '../../../shared/ip.js';

/** A peer as the database wants it. */
export interface DesiredPeer {
  readonly publicKey: string;
  /** Comma-separated, as stored: `10.8.0.2/32, fd00:8::2/128`. */
  readonly allowedIp: string;
  readonly presharedKey: string | null;
  readonly status: PeerStatus;
}

/** A peer to write to the node (PUT is its whole state). */
export interface PeerWrite {
  readonly publicKey: string;
  readonly allowedIps: readonly string[];
  readonly presharedKey: string | null;
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

/** What a PUT wrote, in a form that does not keep the preshared key. */
export function peerFingerprint(allowed: string, presharedKey: string | null): string {
  const psk = presharedKey
    ? createHash('sha256').update(presharedKey).digest('hex').slice(0, 16)
    : '-';
  return `${allowed}|${psk}`;
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
): ReconcilePlan {
  const onNode = new Map(observed.map((p) => [p.public_key, p]));
  const known = new Set<string>();
  const put: PeerWrite[] = [];
  const remove: string[] = [];
  const matched = new Map<string, string>();
  for (const d of desired) {
    known.add(d.publicKey);
    const present = onNode.get(d.publicKey);
    if (d.status !== 'active') {
      if (present) remove.push(d.publicKey);
      continue;
    }
    const allowedIps = allowedIpList(d.allowedIp);
    const canonical = canonicalAllowedIps(allowedIps);
    const fingerprint = peerFingerprint(canonical, d.presharedKey);
    const write = { publicKey: d.publicKey, allowedIps, presharedKey: d.presharedKey, fingerprint };
    if (!present) put.push({ ...write, missing: true });
    else if (canonicalAllowedIps(present.allowed_ips) !== canonical)
      put.push({ ...write, missing: false });
    else if ((applied.get(d.publicKey) ?? fingerprint) !== fingerprint)
      put.push({ ...write, missing: false });
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
  return { put, remove, drift, matched };
}
