import { createServer, type Server, type Socket } from 'node:net';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { createFleetArea, type FleetArea } from '../../src/panel/areas/fleet-area.js';
import type { DumpSink } from '../../src/panel/app/sync/ports.js';
import { panelErrorHandler } from '../../src/panel/http/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { FLEET_METRIC_HELP } from '../../src/panel/app/sync/fleet-metrics.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel, type PanelUnderTest } from './support/panel-under-test.js';
import { waitFor } from '../support/wait-for.js';

const key = () => generateWgKeyPair().publicKey;
const spec = (publicKey: string, ip: string) => ({
  publicKey,
  allowedIps: [ip],
  presharedKey: null,
  persistentKeepalive: null,
  endpoint: null,
});

/** Waits (bounded) until `check` holds. */
const until = (what: string, check: () => Promise<boolean> | boolean) =>
  waitFor(what, async () => (await check()) || undefined);

async function addNode(t: PanelUnderTest, name: string, join: string) {
  const res = await t.panel.app.inject({
    method: 'POST',
    url: '/api/addNode',
    headers: t.headers,
    payload: { name, join },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as { id: number; adopted: { ConfigurationName: string }[] };
}

describe.each(DIALECTS_UNDER_TEST)('convergence with a node on $name', (dialect) => {
  const get = usePanel(dialect);
  // A fleet area of its own over the panel's database (compose.ts keeps `converge` inside), with
  // its routes on a bare Fastify (no auth) to read drift back, and a recorder sink (each poll
  // hands it the dump, then runs its own reconcile step).
  let fleet: FleetArea;
  let sinks: DumpSink[];
  let app: ReturnType<typeof Fastify>;
  const observed: { configurationId: number; peers: number }[] = [];
  let agent: FakeAgent;
  let configurationId = 0;
  const known = key();
  const handMade = key();

  beforeAll(async () => {
    agent = await FakeAgent.start();
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey);
    await agent.wg.setPeer('wg0', spec(known, '10.0.0.2/32'));
    sinks = [];
    fleet = createFleetArea({ ...get().ctx, metrics: new Registry() }, sinks);
    sinks.push({
      name: 'recorder',
      onDump: async (o) =>
        void observed.push({ configurationId: o.configurationId, peers: o.dump.peers.length }),
    });
    app = Fastify();
    app.setErrorHandler(panelErrorHandler);
    for (const r of fleet.routes) await app.register(r);
    const res = await app.inject({
      method: 'POST',
      url: '/api/addNode',
      payload: { name: 'n1', join: agent.join },
    });
    expect(res.statusCode, res.body).toBe(200);
    configurationId = (
      await get().database.db.selectFrom('configurations').select('id').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await app?.close();
    await agent?.destroy();
  });

  const converge = (remove?: string[]) =>
    fleet.converge.converge(configurationId, remove ? { remove } : undefined);
  const onNode = () => agent.wg.ifaces.get('wg0')?.peers ?? new Map();
  const peerRow = (publicKey: string) =>
    get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('public_key', '=', publicKey)
      .executeTakeFirst();
  const setPeer = (publicKey: string, values: Record<string, unknown>) =>
    get()
      .database.db.updateTable('peers')
      .set(values)
      .where('public_key', '=', publicKey)
      .execute();
  const addRow = (publicKey: string, ip: string) =>
    get()
      .database.db.insertInto('peers')
      .values({
        configuration_id: configurationId,
        public_key: publicKey,
        allowed_ip: ip,
        last_raw_rx: 0n,
        last_raw_tx: 0n,
      })
      .execute();

  it('reports a peer added by hand on the node as drift, and leaves it there', async () => {
    await agent.wg.setPeer('wg0', spec(handMade, '10.0.0.77/32'));
    expect(await converge()).toEqual({ applied: true });
    expect(onNode().has(handMade)).toBe(true);
    const configs = (await app.inject({ url: '/api/getWireguardConfigurations' })).json().data;
    expect(configs[0].Drift).toEqual({
      count: 1,
      peers: [
        {
          public_key: handMade,
          allowed_ips: ['10.0.0.77/32'],
          endpoint: null,
          latest_handshake: null,
        },
      ],
    });
    const nodes = (await app.inject({ url: '/api/getNodes' })).json().data;
    expect(nodes[0].drift).toBe(1);
    // Every sink saw the dump, in order, after the reconciler.
    expect(observed.at(-1)).toEqual({ configurationId, peers: 2 });
  });

  it('puts a missing active peer on the node, its counters restarted at zero', async () => {
    const fresh = key();
    await addRow(fresh, '10.0.0.3/32');
    await setPeer(fresh, { last_raw_rx: 5000n, last_raw_tx: 7000n });
    expect(await converge()).toEqual({ applied: true });
    expect(onNode().get(fresh)?.allowedIps).toEqual(['10.0.0.3/32']);
    expect(await peerRow(fresh)).toMatchObject({ last_raw_rx: 0n, last_raw_tx: 0n });
  });

  it('removes a restricted peer and puts it back when allowed', async () => {
    await setPeer(known, { status: 'restricted', restriction_reason: 'manual' });
    expect(await converge()).toEqual({ applied: true });
    expect(onNode().has(known)).toBe(false);
    expect(await peerRow(known)).toBeDefined();
    await setPeer(known, {
      status: 'active',
      restriction_reason: null,
      last_raw_rx: 123n,
      last_raw_tx: 456n,
    });
    expect(await converge()).toEqual({ applied: true });
    expect(onNode().get(known)?.allowedIps).toEqual(['10.0.0.2/32']);
    expect(await peerRow(known)).toMatchObject({ last_raw_rx: 0n, last_raw_tx: 0n });
  });

  it('rewrites a peer whose allowed IPs or preshared key changed, without touching counters', async () => {
    await setPeer(known, {
      allowed_ip: '10.0.0.2/32, fd00::2/128',
      last_raw_rx: 10n,
      last_raw_tx: 20n,
    });
    await converge();
    expect(onNode().get(known)?.allowedIps).toEqual(['10.0.0.2/32', 'fd00::2/128']);
    const psk = generateWgKeyPair().privateKey;
    await setPeer(known, { preshared_key: psk });
    await converge();
    expect(onNode().get(known)?.presharedKey).toBe(psk);
    expect(await peerRow(known)).toMatchObject({ last_raw_rx: 10n, last_raw_tx: 20n });
  });

  it('removes a peer the panel deleted (converge with remove), not an unknown one', async () => {
    const doomed = key();
    await addRow(doomed, '10.0.0.4/32');
    await converge();
    expect(onNode().has(doomed)).toBe(true);
    await get().database.db.deleteFrom('peers').where('public_key', '=', doomed).execute();
    expect(await converge([doomed])).toEqual({ applied: true });
    expect(onNode().has(doomed)).toBe(false);
    expect(onNode().has(handMade)).toBe(true);
  });

  it('remembers removals while the node is down and applies them when it answers', async () => {
    const doomed = key();
    await addRow(doomed, '10.0.0.5/32');
    await converge();
    await agent.stop();
    try {
      await get().database.db.deleteFrom('peers').where('public_key', '=', doomed).execute();
      const result = await converge([doomed]);
      expect(result.applied).toBe(false);
      const pending = await get()
        .database.db.selectFrom('settings')
        .select('value')
        .where('key', '=', `fleet.pending_removals.${configurationId}`)
        .executeTakeFirst();
      expect(JSON.parse(pending?.value ?? '[]')).toEqual([doomed]);
    } finally {
      await agent.restart();
    }
    expect(onNode().has(doomed)).toBe(true);
    expect(await converge()).toEqual({ applied: true });
    expect(onNode().has(doomed)).toBe(false);
    const settled = await get()
      .database.db.selectFrom('settings')
      .select('value')
      .where('key', '=', `fleet.pending_removals.${configurationId}`)
      .executeTakeFirst();
    expect(settled).toBeUndefined();
  });

  it('lets a sink converge the configuration it is handed, without waiting for itself', async () => {
    const victim = key();
    await addRow(victim, '10.0.0.6/32');
    await converge();
    expect(onNode().has(victim)).toBe(true);
    let asked = false;
    const policy: DumpSink = {
      name: 'policy',
      onDump: async (o) => {
        await setPeer(victim, { status: 'restricted', restriction_reason: 'traffic_limit' });
        // The poll's own reconcile step, after every sink, applies it (no re-entry).
        o.convergeAfter?.();
        asked = o.convergeAfter !== undefined;
      },
    };
    sinks.unshift(policy); // before the reconcile step, as the usage ingest is
    try {
      expect(await converge()).toEqual({ applied: true });
    } finally {
      sinks.splice(sinks.indexOf(policy), 1);
    }
    expect(asked).toBe(true);
    expect(onNode().has(victim)).toBe(false);
  });

  it('does not converge a configuration that is turned off or unknown', async () => {
    expect((await fleet.converge.converge(999_999)).applied).toBe(false);
    await get().database.db.updateTable('configurations').set({ enabled: false }).execute();
    const off = await converge();
    expect(off).toMatchObject({ applied: false, reason: expect.stringMatching(/off/) });
    await get().database.db.updateTable('configurations').set({ enabled: true }).execute();
  });
});

describe('the poller (SQLite, real timers)', () => {
  const target = DIALECTS_UNDER_TEST[0];
  if (!target) throw new Error('no SQLite');
  const get = usePanel(target, { start: true, realClock: true, config: { pollIntervalMs: 200 } });
  let a: FakeAgent;
  let b: FakeAgent;
  let blackHole: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    [a, b] = await Promise.all([FakeAgent.start(), FakeAgent.start()]);
    a.wg.addInterface('wga', generateWgKeyPair().privateKey);
    blackHole = createServer((s) => {
      sockets.add(s); // accepts and never answers: a node that hangs
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackHole?.close(r));
  });

  const node = (name: string) =>
    get()
      .database.db.selectFrom('nodes')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
  const polls = async (name: string, result: 'success' | 'failure') => {
    const metric = await get().ctx.metrics.getSingleMetric('wgfleet_panel_node_polls_total')?.get();
    return (
      metric?.values.find((v) => v.labels.node === name && v.labels.result === result)?.value ?? 0
    );
  };

  it('polls every node, marks them online and reports metrics with their HELP texts', async () => {
    await addNode(get(), 'a', a.join);
    await addNode(get(), 'b', b.join);
    await until(
      'both polled',
      async () => (await polls('a', 'success')) > 1 && (await polls('b', 'success')) > 1,
    );
    expect(await node('a')).toMatchObject({
      status: 'online',
      last_error: null,
      agent_version: '9.9.9-fake',
    });
    const text = await get().ctx.metrics.metrics();
    expect(text).toContain(`# HELP wgfleet_panel_node_polls_total ${FLEET_METRIC_HELP.polls}`);
    expect(text).toContain(
      `# HELP wgfleet_panel_node_poll_duration_seconds ${FLEET_METRIC_HELP.pollDuration}`,
    );
    expect(text).toContain(`# HELP wgfleet_panel_node_up ${FLEET_METRIC_HELP.up}`);
    expect(text).toContain(
      `# HELP wgfleet_panel_poll_cycle_duration_seconds ${FLEET_METRIC_HELP.cycle}`,
    );
    expect(text).toContain('wgfleet_panel_node_up{node="a"} 1');
  });

  it('does not let a node that hangs hold up the others', async () => {
    const addr = blackHole.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    await get()
      .database.db.insertInto('nodes')
      .values({
        name: 'hangs',
        url: `https://127.0.0.1:${port}`,
        token: 't'.repeat(43),
        fingerprint: '0'.repeat(64),
      })
      .execute();
    await until('a hanging poll', () => sockets.size > 0);
    const before = await polls('b', 'success');
    // While the hanging node's poll is still in flight, b keeps being polled.
    await until('b polled meanwhile', async () => (await polls('b', 'success')) >= before + 3);
    expect(await polls('hangs', 'failure')).toBe(0);
  });

  it('marks a node that stops answering offline and online again when it is back', async () => {
    await a.stop();
    await until('a offline', async () => (await node('a')).status === 'offline');
    expect((await node('a')).last_error).toMatch(/unreachable/);
    expect((await node('b')).status).toBe('online');
    const text = await get().ctx.metrics.metrics();
    expect(text).toContain('wgfleet_panel_node_up{node="a"} 0');
    await a.restart();
    await until('a online', async () => (await node('a')).status === 'online');
    expect((await node('a')).last_error).toBeNull();
  });

  it('reports a certificate other than the pinned one, until the node is re-pinned', async () => {
    const mismatch = async (name: string) => {
      const m = await get()
        .ctx.metrics.getSingleMetric('wgfleet_panel_node_certificate_mismatch')
        ?.get();
      return m?.values.find((v) => v.labels.node === name)?.value;
    };
    expect(await mismatch('b')).toBe(0);
    await b.rotate();
    await until('b mismatch reported', async () => (await mismatch('b')) === 1);
    const res = await get().panel.app.inject({ url: '/api/getNodes', headers: get().headers });
    const id = res.json().data.find((n: { name: string }) => n.name === 'b')?.id as number;
    const repinned = await get().panel.app.inject({
      method: 'POST',
      url: '/api/updateNode',
      headers: get().headers,
      payload: { id, join: b.join },
    });
    expect(repinned.statusCode, repinned.body).toBe(200);
    await until('b mismatch cleared', async () => (await mismatch('b')) === 0);
  });

  it('hands every poll of an enabled configuration to the reconciler (drift appears by itself)', async () => {
    await a.wg.setPeer('wga', spec(key(), '10.0.0.50/32'));
    await until('drift reported', async () => {
      const res = await get().panel.app.inject({ url: '/api/getNodes', headers: get().headers });
      return res.json().data.find((n: { name: string }) => n.name === 'a')?.drift === 1;
    });
  });
});
