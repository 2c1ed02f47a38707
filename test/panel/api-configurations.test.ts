import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair, wgPublicKey } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)('configurations API on $name', (dialect) => {
  const get = usePanel(dialect);
  let agent: FakeAgent;

  beforeAll(async () => {
    agent = await FakeAgent.start();
  });
  afterAll(() => agent?.destroy());

  const post = (url: string, payload: unknown) =>
    get().panel.app.inject({
      method: 'POST',
      url,
      headers: get().headers,
      payload: payload as object,
    });
  const list = async () => {
    const res = await get().panel.app.inject({
      url: '/api/getWireguardConfigurations',
      headers: get().headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as Record<string, unknown>[];
  };
  const toggle = (name: string) =>
    get().panel.app.inject({
      url: `/api/toggleWireguardConfiguration?configurationName=${encodeURIComponent(name)}`,
      headers: get().headers,
    });
  const body = { ConfigurationName: 'wg7', Address: '10.7.0.1/24', ListenPort: 51827 };

  it('refuses every configuration endpoint without a session or key', async () => {
    const { panel } = get();
    for (const [method, url] of [
      ['GET', '/api/getWireguardConfigurations'],
      ['POST', '/api/addWireguardConfiguration'],
      ['GET', '/api/toggleWireguardConfiguration?configurationName=wg0'],
      ['POST', '/api/deleteWireguardConfiguration'],
    ] as const) {
      const res = await panel.app.inject({ method, url, payload: {} });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().status).toBe(false);
    }
  });

  it('asks for a node before there is one', async () => {
    expect(await list()).toEqual([]);
    const res = await post('/api/addWireguardConfiguration', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/node/);
  });

  it('creates an interface on the node, its key made there', async () => {
    const added = await post('/api/addNode', { name: 'n1', join: agent.join });
    expect(added.statusCode, added.body).toBe(200);
    const res = await post('/api/addWireguardConfiguration', {
      ...body,
      PrivateKey: generateWgKeyPair().privateKey,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().message).toMatch(/ignored/);
    const iface = agent.wg.ifaces.get('wg7');
    expect(iface?.listenPort).toBe(51827);
    const publicKey = wgPublicKey(iface?.privateKey ?? '');
    expect(res.json().data).toMatchObject({
      Name: 'wg7',
      Status: true,
      PublicKey: publicKey,
      Address: '10.7.0.1/24',
      ListenPort: '51827',
      TotalPeers: 0,
      Interface: 'wg7',
      Node: { name: 'n1', status: 'online' },
      Endpoint: '127.0.0.1:51827',
      Drift: { count: 0, peers: [] },
    });
    expect(res.body).not.toContain(iface?.privateKey);
    expect(res.body).not.toContain('PrivateKey');
  });

  it('refuses bad input and clashes, creating nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ ...body, ConfigurationName: 'bad name' }, 400, /ConfigurationName/],
      [{ ...body, ConfigurationName: 'x'.repeat(16) }, 400, /ConfigurationName/],
      [{ ...body, ConfigurationName: 'wg8', Address: 'nope' }, 400, /Address/],
      [{ ...body, ConfigurationName: 'wg8', ListenPort: 70000 }, 400, /ListenPort/],
      [{ ...body, ConfigurationName: 'wg8', PreUp: 'echo hi' }, 400, /PreUp/],
      [{ ...body, ConfigurationName: 'wg8', node: 'nowhere' }, 404, /nowhere/],
      [
        {
          ...body,
          ConfigurationName: 'wg8',
          PostUp: 'echo hi',
          ListenPort: 51828,
          Address: '10.8.0.1/24',
        },
        403,
        /post_up/,
      ],
      [body, 409, /Already have a configuration with the name "wg7"/],
      [
        { ...body, ConfigurationName: 'wg8' },
        409,
        /Already have a configuration with the port "51827"/,
      ],
      [
        { ...body, ConfigurationName: 'wg8', ListenPort: 51828, Address: '10.7.0.200/16' },
        409,
        /Already have a configuration with the address "10.7.0.200\/16"/,
      ],
      [{ ConfigurationName: 'wg8', Address: '10.8.0.1/24' }, 400, /ListenPort/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await post('/api/addWireguardConfiguration', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json()).toMatchObject({ status: false, message: expect.stringMatching(message) });
    }
    expect([...agent.wg.ifaces.keys()]).toEqual(['wg7']);
    expect((await list()).map((c) => c.Name)).toEqual(['wg7']);
  });

  it('lists configurations with peer counts and usage totals', async () => {
    const { database, clock } = get();
    const c = await database.db
      .selectFrom('configurations')
      .select('id')
      .where('name', '=', 'wg7')
      .executeTakeFirstOrThrow();
    const peer = (n: number, extra: object = {}) => ({
      configuration_id: c.id,
      public_key: generateWgKeyPair().publicKey,
      allowed_ip: `10.7.0.${n}/32`,
      period_rx: BigInt(n) * 1000n,
      period_tx: 10n,
      lifetime_rx: 2n ** 31n,
      lifetime_tx: 2n ** 30n,
      status: 'active' as const,
      restriction_reason: null,
      latest_handshake_at: null,
      ...extra,
    });
    await database.db
      .insertInto('peers')
      .values([
        peer(2, { latest_handshake_at: new Date(clock.now().getTime() - 60_000) }),
        peer(3, { latest_handshake_at: new Date(clock.now().getTime() - 3600_000) }),
        peer(4, { status: 'restricted' as const, restriction_reason: 'manual' as const }),
      ])
      .execute();
    const [wg7] = await list();
    expect(wg7).toMatchObject({
      TotalPeers: 3,
      ActivePeers: 2,
      RestrictedPeers: 1,
      ConnectedPeers: 1,
      Usage: {
        period_rx: 9000,
        period_tx: 30,
        lifetime_rx: 3 * 2 ** 31,
        lifetime_tx: 3 * 2 ** 30,
      },
      DataUsage: { Receive: 6, Sent: 3, Total: 9 },
    });
    const nodes = await get().panel.app.inject({ url: '/api/getNodes', headers: get().headers });
    expect(nodes.json().data[0]).toMatchObject({ configurations: 1, peers: 3 });
  });

  it('toggles the interface down and up, storing it', async () => {
    const info = async () =>
      (
        await get().panel.app.inject({
          url: '/api/getWireguardConfigurationInfo?configurationName=wg7',
          headers: get().headers,
        })
      ).json().data.configurationInfo;
    expect((await list())[0]?.ConnectedPeers).toBe(1);
    const down = await toggle('wg7');
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toEqual({ status: true, message: null, data: false });
    expect(agent.wg.ifaces.has('wg7')).toBe(false);
    // Down: no peer is connected, however recent its last handshake.
    expect((await list())[0]).toMatchObject({ Status: false, ConnectedPeers: 0, TotalPeers: 3 });
    expect(await info()).toMatchObject({ Status: false, ConnectedPeers: 0 });
    const up = await toggle('wg7');
    expect(up.json().data).toBe(true);
    expect(agent.wg.ifaces.has('wg7')).toBe(true);
    expect((await list())[0]?.ConnectedPeers).toBe(1);
    expect(await info()).toMatchObject({ Status: true, ConnectedPeers: 1 });
    const unknown = await toggle('nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      status: false,
      message: 'Please provide a valid configuration name',
      data: null,
    });
    const missing = await get().panel.app.inject({
      url: '/api/toggleWireguardConfiguration',
      headers: get().headers,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/configurationName/);
  });

  it('answers 502 when the node is down, changing nothing', async () => {
    await agent.stop();
    try {
      const add = await post('/api/addWireguardConfiguration', {
        ...body,
        ConfigurationName: 'wg9',
        ListenPort: 51829,
        Address: '10.9.0.1/24',
      });
      expect(add.statusCode).toBe(502);
      expect((await toggle('wg7')).statusCode).toBe(502);
      const del = await post('/api/deleteWireguardConfiguration', { ConfigurationName: 'wg7' });
      expect(del.statusCode).toBe(502);
      expect((await list()).map((c) => [c.Name, c.Status])).toEqual([['wg7', true]]);
    } finally {
      await agent.restart();
    }
  });

  it('deletes a configuration: the interface on the node, then it and its peers here', async () => {
    expect(
      (await post('/api/deleteWireguardConfiguration', { ConfigurationName: 'nope' })).statusCode,
    ).toBe(404);
    expect((await post('/api/deleteWireguardConfiguration', {})).statusCode).toBe(400);
    const res = await post('/api/deleteWireguardConfiguration', { ConfigurationName: 'wg7' });
    expect(res.statusCode, res.body).toBe(200);
    expect(agent.wg.ifaces.has('wg7')).toBe(false);
    expect(await list()).toEqual([]);
    const peers = await get().database.db.selectFrom('peers').select('id').execute();
    expect(peers).toEqual([]);
  });
});
