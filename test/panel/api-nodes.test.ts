import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetNodesRepo } from '../../src/panel/adapters/db/repos/fleet-nodes-repo.js';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { formatJoinString } from '../../src/shared/join-string.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel } from './support/panel-under-test.js';

const key = () => generateWgKeyPair().publicKey;

describe.each(DIALECTS_UNDER_TEST)('nodes API on $name', (dialect) => {
  const get = usePanel(dialect);
  let alpha: FakeAgent;
  let beta: FakeAgent;
  const alphaPeers = [key(), key()];

  beforeAll(async () => {
    [alpha, beta] = await Promise.all([FakeAgent.start({ version: '1.2.3' }), FakeAgent.start()]);
    alpha.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    alpha.wg.addInterface('wg1', generateWgKeyPair().privateKey, 51821);
    const spec = (publicKey: string, ip: string) => ({
      publicKey,
      allowedIps: [ip],
      presharedKey: null,
      persistentKeepalive: null,
      endpoint: null,
    });
    await alpha.wg.setPeer('wg0', spec(alphaPeers[0] ?? '', '10.0.0.2/32'));
    await alpha.wg.setPeer('wg0', spec(alphaPeers[1] ?? '', '10.0.0.3/32'));
    beta.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
  });
  afterAll(async () => {
    await Promise.all([alpha?.destroy(), beta?.destroy()]);
  });

  const post = (url: string, payload: unknown) =>
    get().panel.app.inject({
      method: 'POST',
      url,
      headers: get().headers,
      payload: payload as object,
    });
  const count = async (table: 'nodes' | 'configurations' | 'peers') =>
    Number(
      (
        await get()
          .database.db.selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses every nodes endpoint without a session or key', async () => {
    const { panel } = get();
    for (const [method, url] of [
      ['GET', '/api/getNodes'],
      ['POST', '/api/addNode'],
      ['POST', '/api/updateNode'],
      ['POST', '/api/deleteNode'],
    ] as const) {
      const res = await panel.app.inject({ method, url, payload: {} });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toEqual({ status: false, message: expect.any(String), data: null });
    }
  });

  it('refuses bad input with a 400 naming the field, adding nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'n1', join: 'https://example.org' }, /join/],
      [{ name: 'n1', join: 'wgfleet://10.0.0.1:8787?token=short&fingerprint=sha256:00' }, /join/],
      [{ name: 'bad name!', join: alpha.join }, /name/],
      [{ name: 'n1' }, /join/],
      [{ join: alpha.join }, /name/],
      [{ name: 'n1', join: alpha.join, public_host: 'host:123' }, /public_host/],
      [{ name: 'n1', join: alpha.join, extra: 1 }, /extra/],
      [{ name: '', join: alpha.join }, /name/],
    ];
    for (const [payload, field] of cases) {
      const res = await post('/api/addNode', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ status: false, message: expect.stringMatching(field) });
      expect(res.body).not.toContain(alpha.creds.token);
    }
    expect(await count('nodes')).toBe(0);
  });

  it('adds a node: pins it, adopts its interfaces and imports their peers', async () => {
    const res = await post('/api/addNode', {
      name: 'alpha',
      join: alpha.join,
      public_host: 'vpn.example.org',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(alpha.creds.token);
    const data = res.json().data;
    expect(data).toMatchObject({
      name: 'alpha',
      url: `https://127.0.0.1:${alpha.port}`,
      host: '127.0.0.1',
      public_host: 'vpn.example.org',
      status: 'online',
      agent_version: '1.2.3',
      configurations: 2,
      peers: 2,
      drift: 0,
    });
    expect(data.last_seen).toEqual(expect.any(String));
    expect(data.rtt_ms).toEqual(expect.any(Number));
    expect(data.adopted).toEqual([
      { ConfigurationName: 'wg0', interface: 'wg0', imported_peers: 2 },
      { ConfigurationName: 'wg1', interface: 'wg1', imported_peers: 0 },
    ]);
    const peers = await get()
      .database.db.selectFrom('peers')
      .selectAll()
      .orderBy('allowed_ip')
      .execute();
    expect(peers.map((p) => [p.public_key, p.allowed_ip])).toEqual([
      [alphaPeers[0], '10.0.0.2/32'],
      [alphaPeers[1], '10.0.0.3/32'],
    ]);
    for (const p of peers) {
      expect(p).toMatchObject({
        private_key: null,
        status: 'active',
        last_raw_rx: null,
        last_raw_tx: null,
      });
    }
    const stored = await get()
      .database.db.selectFrom('nodes')
      .selectAll()
      .executeTakeFirstOrThrow();
    // Stored sealed; the panel reads it back clear.
    expect(stored.token).toMatch(/^enc:v1:/);
    expect(stored.token).not.toContain(alpha.creds.token);
    expect((await createFleetNodesRepo(get().database).credentials(stored.id))?.token).toBe(
      alpha.creds.token,
    );
    expect(stored.fingerprint).toBe(alpha.creds.fingerprint);
  });

  it('names a second node’s interface <node>-<interface> when the name is taken', async () => {
    const res = await post('/api/addNode', { name: 'beta', join: beta.join });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.adopted).toEqual([
      { ConfigurationName: 'beta-wg0', interface: 'wg0', imported_peers: 0 },
    ]);
  });

  it('refuses a taken name with 409 and adds nothing', async () => {
    const before = await Promise.all([count('nodes'), count('configurations'), count('peers')]);
    const res = await post('/api/addNode', { name: 'alpha', join: beta.join });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: false, message: expect.stringMatching(/alpha/) });
    expect(await Promise.all([count('nodes'), count('configurations'), count('peers')])).toEqual(
      before,
    );
  });

  it('refuses an agent presenting another certificate than the join string pins (502)', async () => {
    const forged = formatJoinString({
      host: '127.0.0.1',
      port: alpha.port,
      token: alpha.creds.token,
      fingerprint: beta.creds.fingerprint,
    });
    const res = await post('/api/addNode', { name: 'forged', join: forged });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      status: false,
      message: expect.stringMatching(/certificate/),
    });
    expect(res.body).not.toContain(alpha.creds.token);
    expect(await count('nodes')).toBe(2);
  });

  it('answers 502 for an agent that does not answer, and 502 for a wrong token', async () => {
    const gone = await FakeAgent.start();
    const join = gone.join;
    await gone.destroy();
    const down = await post('/api/addNode', { name: 'gone', join });
    expect(down.statusCode).toBe(502);
    expect(down.json().message).toMatch(/gone/);
    const wrongToken = formatJoinString({
      host: '127.0.0.1',
      port: alpha.port,
      token: 'x'.repeat(43),
      fingerprint: alpha.creds.fingerprint,
    });
    const denied = await post('/api/addNode', { name: 'denied', join: wrongToken });
    expect(denied.statusCode).toBe(502);
    expect(denied.json().message).toMatch(/token/);
    expect(await count('nodes')).toBe(2);
  });

  it('lists nodes with their state and counts, never the token', async () => {
    const res = await get().panel.app.inject({ url: '/api/getNodes', headers: get().headers });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(alpha.creds.token);
    expect(res.body).not.toContain(beta.creds.token);
    expect(res.body).not.toContain('token');
    const nodes = res.json().data as { name: string; configurations: number; peers: number }[];
    expect(nodes.map((n) => [n.name, n.configurations, n.peers])).toEqual([
      ['alpha', 2, 2],
      ['beta', 1, 0],
    ]);
  });

  it('renames a node, sets and clears its public host; 404 for an unknown one', async () => {
    const { id } = (
      await get().panel.app.inject({ url: '/api/getNodes', headers: get().headers })
    ).json().data[1];
    const renamed = await post('/api/updateNode', {
      id,
      name: 'gamma',
      public_host: '203.0.113.9',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().data).toMatchObject({ name: 'gamma', public_host: '203.0.113.9' });
    const cleared = await post('/api/updateNode', { id, public_host: null });
    expect(cleared.json().data.public_host).toBeNull();
    expect((await post('/api/updateNode', { id, name: 'alpha' })).statusCode).toBe(409);
    expect((await post('/api/updateNode', { id: 999_999, name: 'x' })).statusCode).toBe(404);
    expect((await post('/api/updateNode', { id, join: 'nope' })).statusCode).toBe(400);
  });

  it('re-pins a node with a new join string after the agent rotated its credentials', async () => {
    const { panel, headers } = get();
    const nodes = (await panel.app.inject({ url: '/api/getNodes', headers })).json().data;
    const id = nodes[0].id as number;
    const oldJoin = alpha.join;
    await alpha.rotate();
    // The old pin is refused, also when re-pinning with it.
    const stale = await post('/api/updateNode', { id, join: oldJoin });
    expect(stale.statusCode).toBe(502);
    expect(stale.json().message).toMatch(/certificate/);
    const toggle = await panel.app.inject({
      url: '/api/toggleWireguardConfiguration?configurationName=wg1',
      headers,
    });
    expect(toggle.statusCode).toBe(502);
    const repinned = await post('/api/updateNode', { id, join: alpha.join });
    expect(repinned.statusCode, repinned.body).toBe(200);
    expect(repinned.body).not.toContain(alpha.creds.token);
    const stored = await get()
      .database.db.selectFrom('nodes')
      .select(['token', 'fingerprint'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.fingerprint).toBe(alpha.creds.fingerprint);
    expect(stored.token).toMatch(/^enc:v1:/);
    expect((await createFleetNodesRepo(get().database).credentials(id))?.token).toBe(
      alpha.creds.token,
    );
    const again = await panel.app.inject({
      url: '/api/toggleWireguardConfiguration?configurationName=wg1',
      headers,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().data).toBe(false);
  });

  it('deletes a node with its configurations and peers, leaving the node itself alone', async () => {
    expect((await post('/api/deleteNode', {})).statusCode).toBe(400);
    expect((await post('/api/deleteNode', { id: 999_999 })).statusCode).toBe(404);
    const res = await post('/api/deleteNode', { name: 'alpha' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: true, message: null, data: null });
    expect(await count('nodes')).toBe(1);
    expect(await count('configurations')).toBe(1);
    expect(await count('peers')).toBe(0);
    // The node keeps its interface and peers.
    expect(alpha.wg.ifaces.get('wg0')?.peers.size).toBe(2);
    expect((await post('/api/deleteNode', { name: 'alpha' })).statusCode).toBe(404);
  });

  it('documents the fleet endpoints in the OpenAPI document', async () => {
    const res = await get().panel.app.inject({ url: '/api/openapi.json', headers: get().headers });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths as object);
    for (const p of [
      '/api/addNode',
      '/api/getNodes',
      '/api/updateNode',
      '/api/deleteNode',
      '/api/getWireguardConfigurations',
      '/api/addWireguardConfiguration',
      '/api/toggleWireguardConfiguration',
      '/api/deleteWireguardConfiguration',
    ])
      expect(paths).toContain(p);
  });
});
