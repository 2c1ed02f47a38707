import { describe, expect, it } from 'vitest';
import { dumpPeer } from './testing/dump-peer.js';
import {
  allowedIpList,
  canonicalAllowedIps,
  peerFingerprint,
  planReconcile,
  type DesiredPeer,
} from './reconcile-plan.js';

const K = (c: string) => `${c.repeat(42)}A=`;
const want = (publicKey: string, allowedIp: string, extra: Partial<DesiredPeer> = {}) => ({
  publicKey,
  allowedIp,
  presharedKey: null,
  status: 'active' as const,
  downloadBps: null,
  uploadBps: null,
  ...extra,
});

describe('planReconcile', () => {
  it('puts missing active peers (marked missing) and nothing for matching ones', () => {
    const plan = planReconcile(
      [want(K('a'), '10.0.0.2/32'), want(K('b'), '10.0.0.3')],
      [dumpPeer(K('a'), ['10.0.0.2/32'])],
      new Set(),
      new Map(),
    );
    expect(plan.put).toEqual([
      expect.objectContaining({ publicKey: K('b'), allowedIps: ['10.0.0.3/32'], missing: true }),
    ]);
    expect(plan.remove).toEqual([]);
    expect(plan.drift).toEqual([]);
    expect([...plan.matched.keys()]).toEqual([K('a')]);
  });

  it('rewrites a peer whose allowed IPs differ, comparing them as WireGuard keeps them', () => {
    const plan = planReconcile(
      [want(K('a'), '10.0.0.2/32, fd00::2/128'), want(K('b'), '10.0.1.9/24')],
      [dumpPeer(K('a'), ['10.0.0.2/32']), dumpPeer(K('b'), ['10.0.1.0/24'])],
      new Set(),
      new Map(),
    );
    expect(plan.put.map((p) => [p.publicKey, p.missing])).toEqual([[K('a'), false]]);
  });

  it('rewrites a peer whose preshared key changed since the panel last wrote it', () => {
    const desired = [want(K('a'), '10.0.0.2/32', { presharedKey: K('p') })];
    const observed = [dumpPeer(K('a'), ['10.0.0.2/32'])];
    const old = new Map([[K('a'), peerFingerprint('10.0.0.2/32', null)]]);
    expect(planReconcile(desired, observed, new Set(), old).put).toHaveLength(1);
    // Unknown after a restart: assumed up to date.
    expect(planReconcile(desired, observed, new Set(), new Map()).put).toHaveLength(0);
    expect(peerFingerprint('x', K('p'))).not.toContain(K('p'));
  });

  it('rewrites a peer whose speed limit changed, and sends the limit with it', () => {
    const observed = [dumpPeer(K('a'), ['10.0.0.2/32'])];
    const limited = [want(K('a'), '10.0.0.2/32', { downloadBps: 10_000_000, uploadBps: null })];
    const before = new Map([[K('a'), peerFingerprint('10.0.0.2/32', null)]]);
    const plan = planReconcile(limited, observed, new Set(), before);
    expect(plan.put).toEqual([
      expect.objectContaining({ rateLimit: { download_bps: 10_000_000, upload_bps: null } }),
    ]);
    const applied = new Map([[K('a'), plan.put[0]!.fingerprint]]);
    expect(planReconcile(limited, observed, new Set(), applied, plan.forms).put).toEqual([]);
    // Cleared: written again, without a limit.
    const cleared = planReconcile(
      [want(K('a'), '10.0.0.2/32')],
      observed,
      new Set(),
      applied,
      plan.forms,
    );
    expect(cleared.put).toEqual([expect.objectContaining({ rateLimit: null })]);
  });

  it('removes restricted peers and pending removals; reports unknown ones as drift', () => {
    const plan = planReconcile(
      [
        want(K('a'), '10.0.0.2/32', { status: 'restricted' }),
        want(K('c'), '10.0.0.4/32', { status: 'restricted' }),
      ],
      [dumpPeer(K('a'), ['10.0.0.2/32']), dumpPeer(K('b'), ['10.0.0.3/32']), dumpPeer(K('d'), [])],
      new Set([K('b')]),
      new Map(),
    );
    expect(plan.remove).toEqual([K('a'), K('b')]);
    expect(plan.put).toEqual([]);
    expect(plan.drift).toEqual([
      { publicKey: K('d'), allowedIps: [], endpoint: null, latestHandshake: null },
    ]);
  });

  it('ignores a pending removal whose key is an active peer again', () => {
    const plan = planReconcile(
      [want(K('a'), '10.0.0.2/32')],
      [dumpPeer(K('a'), ['10.0.0.2/32'])],
      new Set([K('a')]),
      new Map(),
    );
    expect(plan.remove).toEqual([]);
  });
});

describe('allowed IPs', () => {
  it('splits the stored list and completes bare addresses', () => {
    expect(allowedIpList(' 10.0.0.2, fd00::2 ,10.1.0.0/16,')).toEqual([
      '10.0.0.2/32',
      'fd00::2/128',
      '10.1.0.0/16',
    ]);
  });
  it('compares as sets of networks', () => {
    expect(canonicalAllowedIps(['10.0.0.9/24', 'fd00::2/128'])).toBe(
      canonicalAllowedIps(['fd00:0::2/128', '10.0.0.0/24', '10.0.0.0/24']),
    );
  });
});

describe('planReconcile with the previous forms', () => {
  it('reuses a form whose stored values did not change and redoes one that did', () => {
    const observed = [dumpPeer(K('a'), ['10.0.0.2/32']), dumpPeer(K('b'), ['10.0.0.3/32'])];
    const first = planReconcile(
      [want(K('a'), '10.0.0.2'), want(K('b'), '10.0.0.3/32')],
      observed,
      new Set(),
      new Map(),
    );
    expect([...first.forms.keys()]).toEqual([K('a'), K('b')]);
    const second = planReconcile(
      [want(K('a'), '10.0.0.2'), want(K('b'), '10.0.0.9/32')],
      observed,
      new Set(),
      first.matched,
      first.forms,
    );
    expect(second.forms.get(K('a'))).toBe(first.forms.get(K('a')));
    expect(second.forms.get(K('b'))?.canonical).toBe('10.0.0.9/32');
    expect(second.put.map((p) => p.publicKey)).toEqual([K('b')]);
  });

  it('matches allowed IPs the node lists in another order', () => {
    const plan = planReconcile(
      [want(K('a'), '10.0.0.2/32, fd00::2/128')],
      [dumpPeer(K('a'), ['fd00::2/128', '10.0.0.2/32'])],
      new Set(),
      new Map(),
    );
    expect(plan.put).toEqual([]);
  });
});
