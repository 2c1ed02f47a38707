// A throttled subscriber end to end (issue 15): its quota and throttle set through the panel's
// API, crossed by real traffic through a real tunnel, its peer kept on the node and shaped by the
// node's kernel (tc) to the subscriber's throttle speed, back at full speed after a reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetSyncRepo } from '../../src/panel/adapters/db/repos/fleet-sync-repo.js';
import {
  Lab,
  connectionOf,
  execIn,
  measureTcp,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { panelApi, usePanel } from '../panel/support/panel-under-test.js';

const MiB = 1024 * 1024;

describe('a throttled subscriber from the panel to the kernel', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let configName: string;
  let subscriberId: number;
  let key: string;
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, {
    start: true,
    realClock: true,
    config: { pollIntervalMs: 1000 },
  });
  const api = panelApi(get);
  const classes = () => execIn(lab.node(1).ns, 'tc', ['class', 'show', 'dev', nodeIf.name]);
  const subscriber = async () =>
    (await api('GET', `/api/getSubscriber?id=${subscriberId}`)).data as {
      status: string;
      usage: { total: number };
      events: { type: string }[];
      peers: { id: string; status: string }[];
    };

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    nodeIf = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const added = await api('POST', '/api/addNode', {
      name: 'subscriber-speed-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.data.adopted[0].ConfigurationName as string;
    const client = lab.client(1);
    const keys = await client.keys();
    const s = await api('POST', '/api/addSubscriber', {
      name: 'Throttled Theo',
      on_limit: 'throttle',
      throttle_download_bps: '2Mbit',
      peers: [
        { configuration: configName, public_key: keys.publicKey, private_key: keys.privateKey },
      ],
    });
    subscriberId = s.data.id as number;
    key = keys.publicKey;
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(key)}`,
    );
    const { target, options } = connectionOf(download.data.file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });
  afterAll(() => lab?.destroy());

  it("over its quota the subscriber's peer keeps a working tunnel, shaped to its throttle speed; a reset lifts it", async () => {
    const client = lab.client(1);
    const download = (maxBytes: number, maxMs = 4000, warmupMs?: number) =>
      measureTcp(lab.resources, {
        sinkNs: client.ns,
        sinkIp: client.tunnelIp,
        srcNs: lab.node(1).ns,
        maxMs,
        maxBytes,
        ...(warmupMs !== undefined && { warmupMs }),
      });
    // Nothing shaped yet: the subscriber has no speed limit, only a throttle speed.
    expect(await classes()).toBe('');
    // A limit 4 MiB above what was used so far, then 12 MiB at full speed: a poll crosses it.
    const used = (await subscriber()).usage.total;
    await api('POST', '/api/updateSubscriber', {
      id: subscriberId,
      traffic_limit: used + 4 * MiB,
    });
    // (The throttle may set in while it runs: enough that it got past the limit.)
    const full = await download(12 * MiB, 4000, 0);
    expect(full.bytes).toBeGreaterThan(4 * MiB);
    await waitFor(
      'the subscriber throttled and its peer shaped to 2 Mbit/s on the node',
      async () =>
        ((await subscriber()).status === 'throttled' && (await classes()).includes('rate 2Mbit')) ||
        undefined,
      { timeoutMs: 20_000 },
    );
    const s = await subscriber();
    expect(s.peers.map((p) => p.status)).toEqual(['active']);
    expect(s.events.map((e) => e.type)).toEqual(expect.arrayContaining(['exceeded', 'throttled']));
    expect(s.events.map((e) => e.type)).not.toContain('restricted');
    // What the panel wants on the node: the peer on it, at the subscriber's throttle speed.
    const { database } = get();
    const cfg = await database.db
      .selectFrom('configurations')
      .select('id')
      .where('name', '=', configName)
      .executeTakeFirstOrThrow();
    const desired = await createFleetSyncRepo(database, () => new Date()).desiredPeers(cfg.id);
    expect(desired.find((d) => d.publicKey === key)).toMatchObject({
      status: 'active',
      downloadBps: 2_000_000,
      uploadBps: null,
    });

    // Still connected, at the throttle speed.
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    const slow = await download(Math.ceil((2e6 / 8) * 4 * 1.5));
    expect(Math.abs(slow.rateBps - 2e6) / 2e6, `${slow.rateBps} bit/s`).toBeLessThanOrEqual(0.15);

    // A reset lifts the cause: back to full speed (the class goes, the subscriber is active).
    await api('POST', '/api/resetSubscriberData', { id: subscriberId });
    await waitFor(
      'the throttle lifted',
      async () =>
        ((await classes()) === '' && (await subscriber()).status === 'active') || undefined,
      { timeoutMs: 20_000 },
    );
    expect((await subscriber()).events.map((e) => e.type)).toContain('unthrottled');
    // The reset left it its 4 MiB again: a transfer past it would be throttled anew within a poll.
    // 3 MiB, no warm-up, at most 3 s: at the throttle speed it would take 12 s.
    const back = await download(3 * MiB, 3000, 0);
    expect(back.rateBps, `${back.rateBps} bit/s after the reset`).toBeGreaterThan(2e6 * 2);
  });
});
