import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../shared/keys.js';
import { FakeWg } from '../testing/fake-wg.js';
import { createConfStore } from '../wg/conf-store.js';
import { AgentError } from './errors.js';
import { readConfRedacted, updateInterface } from './interface-settings.js';
import { createInterface } from './interfaces.js';
import { KeyedLock } from './keyed-lock.js';
import { putPeer } from './peers.js';
import type { AgentDeps } from './ports.js';

describe('interface settings and the redacted conf file (fake wg)', () => {
  let dir: string;
  let deps: AgentDeps;
  let wg: FakeWg;
  const psk = generateWgKeyPair().privateKey;
  const peer = generateWgKeyPair().publicKey;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-settings-'));
    wg = new FakeWg();
    deps = {
      wg,
      links: wg,
      confs: createConfStore(dir),
      lock: new KeyedLock(),
      onlyInterfaces: null,
      allowHooks: false,
      ledger: null,
    };
    await createInterface(deps, { name: 'wgs0', address: '10.5.0.1/24', listen_port: 51900 });
    await createInterface(deps, { name: 'wgs1', address: '10.6.0.1/24', listen_port: 51901 });
    await putPeer(deps, 'wgs0', peer, { allowed_ips: ['10.5.0.2/32'], preshared_key: psk });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('hands out the file without its private and preshared keys', async () => {
    const file = await readFile(join(dir, 'wgs0.conf'), 'utf8');
    const { path, content } = await readConfRedacted(deps, 'wgs0');
    expect(path).toBe(join(dir, 'wgs0.conf'));
    expect(file).toMatch(/^PrivateKey = /m);
    expect(content).not.toMatch(/^\s*(PrivateKey|PresharedKey)\s*=/im);
    expect(content).not.toContain(psk);
    expect(content).toContain('# PrivateKey = <kept on the node: it never leaves it>');
    expect(content).toContain('# PresharedKey = <kept on the node: it never leaves it>');
    expect(content).toContain(`PublicKey = ${peer}`);
    expect(content).toContain('AllowedIPs = 10.5.0.2/32');
  });

  it('changes Address, ListenPort, MTU, restarting the interface with its peers', async () => {
    const summary = await updateInterface(deps, 'wgs0', {
      address: ['10.5.0.1/24', 'fd05::1/64'],
      listen_port: 51902,
      mtu: 1380,
    });
    expect(summary).toMatchObject({ name: 'wgs0', listen_port: 51902 });
    const file = await readFile(join(dir, 'wgs0.conf'), 'utf8');
    expect(file).toMatch(/^Address = 10\.5\.0\.1\/24, fd05::1\/64$/m);
    expect(file).toMatch(/^MTU = 1380$/m);
    expect(wg.ifaces.get('wgs0')?.peers.has(peer)).toBe(true);
    wg.addTraffic('wgs0', peer, 500, 50);
    await updateInterface(deps, 'wgs0', { listen_port: 51902 }); // nothing changes: no restart
    expect(wg.ifaces.get('wgs0')?.peers.get(peer)?.rx).toBe(500);
  });

  it('refuses a taken port, a bad address and hooks without --allow-hooks, changing nothing', async () => {
    const before = await readFile(join(dir, 'wgs0.conf'), 'utf8');
    const refused = async (patch: Parameters<typeof updateInterface>[2]) => {
      const e = await updateInterface(deps, 'wgs0', patch).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AgentError);
      return (e as AgentError).message;
    };
    expect(await refused({ listen_port: 51901 })).toMatch(
      /51901 is already used by interface wgs1/,
    );
    expect(await refused({ address: ['10.5.0.1'] })).toMatch(/^address\[0\]/);
    expect(await refused({ post_up: 'iptables -A FORWARD -j ACCEPT' })).toMatch(/--allow-hooks/);
    expect(await readFile(join(dir, 'wgs0.conf'), 'utf8')).toBe(before);
    await updateInterface(deps, 'wgs0', { post_up: null }); // clearing is always allowed
  });
});
