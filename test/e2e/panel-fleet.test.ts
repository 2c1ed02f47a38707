// The panel's fleet on real WireGuard: two nodes joined by their join strings, their interfaces
// adopted (peers imported), drift made by hand reported, a node going away and coming back, and
// a configuration made through the panel carrying a real client's traffic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';
import {
  Lab,
  generateKeyPair,
  startAgent,
  startNodeAgent,
  waitFor,
  wgSetPeer,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('SQLite is always under test');

describe('panel fleet on the lab', () => {
  const get = usePanel(sqlite, { start: true, realClock: true, config: { pollIntervalMs: 1000 } });
  let lab: Lab;
  let ifs: WgInterface[];
  let agents: NodeAgent[];
  const imported = { publicKey: '', ip: '10.200.1.50/32' };

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 2, clients: 1 });
    ifs = await Promise.all(lab.nodes.map((n) => n.createWgInterface()));
    imported.publicKey = (await generateKeyPair()).publicKey;
    await ifs[0]!.setPeer({ publicKey: imported.publicKey, allowedIps: [imported.ip] });
    agents = await Promise.all(lab.nodes.map((n) => startNodeAgent(lab, n)));
    await lab.node(1).startEcho();
  });
  afterAll(() => lab?.destroy());

  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await get().panel.app.inject({ method, url, headers: get().headers, payload });
    return { status: res.statusCode, body: res.json(), text: res.body };
  };
  type NodeJson = { name: string; status: string; drift: number; last_error: string | null };
  const nodes = async () => (await api('GET', '/api/getNodes')).body.data as NodeJson[];
  const nodeNamed = async (name: string) => (await nodes()).find((n) => n.name === name);
  type ConfigJson = { Name: string; Drift: { count: number; peers: { public_key: string }[] } };
  const configs = async () =>
    (await api('GET', '/api/getWireguardConfigurations')).body.data as ConfigJson[];
  const waitUntil = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) =>
    waitFor(what, async () => (await check()) || undefined, { timeoutMs, intervalMs: 200 });

  it('joins two nodes by join string and adopts their interfaces with their peers', async () => {
    for (const [i, agent] of agents.entries()) {
      const res = await api('POST', '/api/addNode', { name: `n${i + 1}`, join: agent.join.raw });
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain(agent.join.token);
      expect(res.body.data.adopted).toEqual([
        {
          ConfigurationName: ifs[i]!.name,
          interface: ifs[i]!.name,
          imported_peers: i === 0 ? 1 : 0,
        },
      ]);
    }
    const peers = await get().database.db.selectFrom('peers').selectAll().execute();
    expect(peers).toHaveLength(1);
    expect(peers[0]).toMatchObject({
      public_key: imported.publicKey,
      allowed_ip: imported.ip,
      private_key: null,
      // Traffic from before the panel is a baseline, not usage.
      lifetime_rx: 0n,
      lifetime_tx: 0n,
    });
    await waitUntil('both nodes online', async () =>
      (await nodes()).every((n) => n.status === 'online'),
    );
    // The imported peer is the panel's now: not drift, and still on the node.
    expect((await nodeNamed('n1'))?.drift).toBe(0);
  });

  it('reports a peer added by hand with `wg set` on a node as drift', async () => {
    const stranger = (await generateKeyPair()).publicKey;
    await wgSetPeer(lab.node(2).ns, ifs[1]!.name, {
      publicKey: stranger,
      allowedIps: ['10.200.2.77/32'],
    });
    await waitUntil('drift on n2', async () => (await nodeNamed('n2'))?.drift === 1);
    const c = (await configs()).find((x) => x.Name === ifs[1]!.name);
    expect(c?.Drift.peers.map((p) => p.public_key)).toEqual([stranger]);
    // Reported, not removed.
    const dump = await agents[1]!.client.dump(ifs[1]!.name);
    expect(dump.body.peers.map((p) => p.public_key)).toContain(stranger);
  });

  it('marks a node whose agent stops offline, and online again when it is back', async () => {
    const [node, agent] = [lab.node(2), agents[1]!];
    await agent.process.stop();
    await waitUntil('n2 offline', async () => (await nodeNamed('n2'))?.status === 'offline');
    expect((await nodeNamed('n2'))?.last_error).toEqual(expect.any(String));
    expect((await nodeNamed('n1'))?.status).toBe('online');
    const again = await startAgent(lab.resources, node.ns, {
      stateDir: node.stateDir,
      confDir: node.confDir,
      listen: agent.listen,
    });
    lab.onDestroy(() => again.stop());
    await waitUntil('n2 online', async () => (await nodeNamed('n2'))?.status === 'online', 30_000);
  });

  it('creates a configuration through the panel that carries a real client', async () => {
    const [node, client] = [lab.node(1), lab.client(1)];
    const name = node.ifName('p');
    const res = await api('POST', '/api/addWireguardConfiguration', {
      ConfigurationName: name,
      Address: '10.201.1.1/24',
      ListenPort: 51830,
      node: 'n1',
    });
    expect(res.status, res.text).toBe(200);
    const publicKey = res.body.data.PublicKey as string;
    expect(publicKey).toMatch(/=$/);
    // The client's peer, as the peers API would store it; the poller puts it on the node.
    const { id } = await get()
      .database.db.selectFrom('configurations')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    const clientKey = (await client.keys()).publicKey;
    await get()
      .database.db.insertInto('peers')
      .values({
        configuration_id: id,
        public_key: clientKey,
        allowed_ip: '10.201.1.101/32',
        last_raw_rx: 0n,
        last_raw_tx: 0n,
      })
      .execute();
    await waitUntil('the peer on the node', async () => {
      const dump = await agents[0]!.client.dump(name);
      return dump.body.peers.some((p) => p.public_key === clientKey);
    });
    await client.connect(node.target(publicKey, 51830, '10.201.1.0/24'), {
      address: '10.201.1.101/32',
    });
    expect(await client.probe('10.201.1.1')).toBe(true);
    await client.disconnect();
  });
});
