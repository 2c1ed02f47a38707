import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)('WGDashboard 4.3 raw configuration file ($name)', (dialect) => {
  const get = usePanel(dialect);
  let agent: FakeAgent;
  beforeAll(async () => {
    agent = await FakeAgent.start();
  });
  afterAll(() => agent?.destroy());
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });
  const raw = async () =>
    (await fetch('/api/getWireguardConfigurationRawFile?configurationName=wgr0')).json().data as {
      path: string;
      content: string;
    };
  const update = (rawConfiguration: string) =>
    post('/api/updateWireguardConfigurationRawFile', {
      configurationName: 'wgr0',
      rawConfiguration,
    });
  const peers = async () => {
    const info = await fetch('/api/getWireguardConfigurationInfo?configurationName=wgr0');
    const d = info.json().data;
    return [...d.configurationPeers, ...d.configurationRestrictedPeers] as {
      id: string;
      allowed_ip: string;
      status: string;
    }[];
  };

  it('serves the node’s file with its keys as comments, every peer with its AllowedIPs', async () => {
    expect((await post('/api/addNode', { name: 'n1', join: agent.join })).statusCode).toBe(200);
    await post('/api/addWireguardConfiguration', {
      ConfigurationName: 'wgr0',
      Address: '10.41.0.1/24',
      ListenPort: 51941,
    });
    const added = await post('/api/addPeers/wgr0', { name: 'a', preshared_key_bulkAdd: true });
    expect(added.statusCode, added.body).toBe(200);
    const r = await fetch('/api/getWireguardConfigurationRawFile?configurationName=wgr0');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const { path, content } = r.json().data;
    expect(path).toBe(agent.confPath('wgr0'));
    expect(content).toContain('# PrivateKey = <kept on the node: it never leaves it>');
    expect(content).not.toMatch(/^\s*(PrivateKey|PresharedKey)\s*=/im);
    expect(content).toContain(`PublicKey = ${added.json().data[0].id}`);
    expect(content).toContain('AllowedIPs = 10.41.0.2/32');
    expect(
      (await fetch('/api/getWireguardConfigurationRawFile?configurationName=x')).statusCode,
    ).toBe(404);
  });

  it('a bad file changes nothing; the message names its line', async () => {
    const before = await raw();
    const listed = await peers();
    const cases: [string, RegExp][] = [
      [
        before.content.replace('AllowedIPs = 10.41.0.2/32', 'AllowedIPs = 10.41.0.999/32'),
        /^rawConfiguration: line \d+: "10\.41\.0\.999\/32" is not an IP address or CIDR$/,
      ],
      [
        before.content.replace(/^ListenPort = .*$/m, 'ListenPort = 70000'),
        /line 4: ListenPort must be a whole number from 1 to 65535/,
      ],
      [
        `${before.content}\n[Peer]\nPublicKey = ${generateWgKeyPair().publicKey}\nAllowedIPs = 10.41.0.2/32\n`,
        /is already taken by another peer/,
      ],
      [
        before.content.replace('[Interface]', '[Interface]\nDNS = 1.1.1.1'),
        /line 2: DNS cannot be set here/,
      ],
      [
        before.content.replace(
          '[Interface]',
          `[Interface]\nPrivateKey = ${generateWgKeyPair().privateKey}`,
        ),
        /line 2: the interface's private key stays on its node/,
      ],
      [
        before.content.replace(
          '[Interface]',
          '[Interface]\nPostUp = iptables -A FORWARD -j ACCEPT',
        ),
        /--allow-hooks/,
      ],
      [`${before.content}\n[Peer]\nAllowedIPs = 10.41.0.9/32\n`, /\[Peer\] without a PublicKey/],
    ];
    for (const [text, message] of cases) {
      const r = await update(text);
      expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
      expect(r.json().status).toBe(false);
      expect(r.json().message).toMatch(message);
    }
    expect(await raw()).toEqual(before);
    expect(await peers()).toEqual(listed);
  });

  it('the [Peer] set becomes the configuration’s: added, updated, removed; usage kept', async () => {
    const [a] = await peers();
    await get()
      .database.db.updateTable('peers')
      .set({ period_rx: 1234n, lifetime_rx: 1234n })
      .where('public_key', '=', a!.id)
      .execute();
    const restricted = (await post('/api/addPeers/wgr0', { name: 'r' })).json().data[0]
      .id as string;
    await post('/api/restrictPeers/wgr0', { peers: [restricted] });
    const gone = (await post('/api/addPeers/wgr0', { name: 'gone' })).json().data[0].id as string;
    const fresh = generateWgKeyPair().publicKey;
    const { content } = await raw();
    const text =
      content
        .replace('AllowedIPs = 10.41.0.2/32', 'AllowedIPs = 10.41.0.20/32')
        .replace(new RegExp(`\\[Peer\\]\\nPublicKey = ${gone.replace(/[+/]/g, '\\$&')}[^[]*`), '')
        .replace(/^ListenPort = .*$/m, 'ListenPort = 51942') +
      `\n[Peer]\nPublicKey = ${fresh}\nAllowedIPs = 10.41.0.30/32\nPersistentKeepalive = 25\n`;
    const r = await update(text);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      status: true,
      message: '[Interface] ListenPort changed; peers: 1 added, 1 updated, 1 deleted',
      data: null,
    });
    const now = await peers();
    expect(now.map((p) => [p.id, p.allowed_ip, p.status]).sort()).toEqual(
      [
        [a!.id, '10.41.0.20/32', 'active'],
        [restricted, '10.41.0.3/32', 'restricted'],
        [fresh, '10.41.0.30/32', 'active'],
      ].sort(),
    );
    const row = await get()
      .database.db.selectFrom('peers')
      .select(['period_rx', 'lifetime_rx'])
      .where('public_key', '=', a!.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ period_rx: 1234n, lifetime_rx: 1234n });
    const node = agent.wg.ifaces.get('wgr0')!;
    expect(node.listenPort).toBe(51942);
    expect([...node.peers.keys()].sort()).toEqual([a!.id, fresh].sort());
    expect(node.peers.get(a!.id)?.allowedIps).toEqual(['10.41.0.20/32']);
    // The node's file, read back, is the one sent (but for the redacted keys and layout).
    const back = (await raw()).content;
    expect(back).toContain(`PublicKey = ${fresh}`);
    expect(back).not.toContain(gone);
  });
});
