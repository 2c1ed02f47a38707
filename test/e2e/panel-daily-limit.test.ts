// A daily quota on real WireGuard (issue 15): a client whose peer has `daily_limit` sends real
// traffic; the panel (polling every second) cuts it off within a poll of crossing the day's
// limit, and brings it back when the day boundary passes — the panel's clock runs with real time
// and is moved to the next midnight, the enforcement pass (every 5 s) sees the new day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  WG_PER_PACKET_OVERHEAD,
  connectionOf,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { panelApi, usePanel } from '../panel/support/panel-under-test.js';

const MiB = 1024 * 1024;
/** Sending pace: 32 datagrams of 1000 bytes every 20 ms, about 1.6 MB/s. */
const PACE = { batch: 32, pauseMs: 20 } as const;
/** Handshakes, probes and the node's rate-limited ICMP answers: bytes beyond the payload. */
const SLACK = 16_384;

describe('a daily quota on real WireGuard', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let configName: string;
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, {
    start: true,
    realClock: 'movable',
    config: { pollIntervalMs: 1000 },
  });
  const api = panelApi(get);
  const peerRow = (key: string) =>
    get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('public_key', '=', key)
      .executeTakeFirstOrThrow();
  const onNode = async (key: string) =>
    (await agent.client.dump(nodeIf.name)).body.peers.some((p) => p.public_key === key);
  /** Waits (bounded) until the peer's row satisfies `ok`. */
  const until = (key: string, ok: (r: Awaited<ReturnType<typeof peerRow>>) => boolean) =>
    waitFor(
      'the peer row to change',
      async () => {
        const r = await peerRow(key);
        return ok(r) ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  /** The peer's events, oldest first (the answer lists the newest first). */
  const events = async (id: string) =>
    (
      (
        await api(
          'GET',
          `/api/getPeerEvents?configurationName=${configName}&id=${encodeURIComponent(id)}`,
        )
      ).data.events as { type: string; message: string }[]
    ).reverse();
  const eventTypes = async (id: string) => (await events(id)).map((e) => e.type);

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    nodeIf = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const added = await api('POST', '/api/addNode', {
      name: 'daily-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.data.adopted[0].ConfigurationName as string;
    // A pass every 5 s: the one after the clock is moved sees the new day.
    await api('POST', '/api/updatePanelSettings', { enforcement_interval_seconds: 5 });
  });
  afterAll(() => lab?.destroy());

  it('crossing the day’s limit cuts the peer off; the next day brings it back and traffic flows', async () => {
    const client = lab.client(1);
    const node = lab.node(1);
    const keys = await client.keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: 'daily client',
        public_key: keys.publicKey,
        private_key: keys.privateKey,
      })
    ).data;
    const id = peer.id as string;
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(id)}`,
    );
    const { target, options } = connectionOf(download.data.file, node.tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    const set = await api('POST', `/api/updatePeerDailyLimit/${configName}`, {
      id,
      daily_limit: '1MiB',
    });
    expect(set.data).toMatchObject({ daily_limit: MiB, status: 'active' });
    const nextDay = new Date(set.data.next_day_at as string);
    expect(nextDay.getTime()).toBeGreaterThan(get().clock.now().getTime());

    // Past the warning threshold (80 %), below the limit: counted, warned, still active.
    const below = 900_000;
    expect((await client.sendUdp(node.tunnelIp(), 9, below, PACE)).bytes).toBe(below);
    const counted = await until(id, (r) => r.day_rx >= BigInt(below));
    expect(counted.status).toBe('active');
    expect(counted.day_rx + counted.day_tx).toBeLessThan(BigInt(MiB));
    // Across it: restricted in the poll that counts the crossing, and off WireGuard.
    const across = 300_000;
    expect((await client.sendUdp(node.tunnelIp(), 9, across, PACE)).bytes).toBe(across);
    const cut = await until(id, (r) => r.status === 'restricted');
    const dayAtCut = cut.day_rx + cut.day_tx;
    expect(dayAtCut).toBeGreaterThanOrEqual(BigInt(MiB));
    const sent = below + across;
    expect(dayAtCut).toBeLessThanOrEqual(
      BigInt(sent + Math.ceil(sent / 1000) * WG_PER_PACKET_OVERHEAD + SLACK),
    );
    await waitFor(
      'the peer gone from the node',
      async () => ((await onNode(keys.publicKey)) ? undefined : true),
      { timeoutMs: 5000, intervalMs: 100 },
    );
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    const atCut = await events(id);
    expect(atCut.map((e) => e.type)).toEqual(['created', 'warning', 'exceeded', 'restricted']);
    expect(atCut[2]?.message).toMatch(/^Peer daily client \(.+\) exceeded daily limit\b/);

    // The day boundary passes on the panel's clock: the next pass restores the peer.
    get().clock.set(new Date(nextDay.getTime() + 1000));
    const back = await until(id, (r) => r.status === 'active');
    expect(back.day_rx + back.day_tx).toBe(0n);
    expect(back.day_started_at?.getTime()).toBe(nextDay.getTime());
    // The period's usage is not touched by the day.
    expect(back.period_rx + back.period_tx).toBe(dayAtCut);
    await waitFor(
      'the peer back on the node',
      async () => (await onNode(keys.publicKey)) || undefined,
      {
        timeoutMs: 5000,
        intervalMs: 100,
      },
    );
    expect(await eventTypes(id)).toEqual([
      'created',
      'warning',
      'exceeded',
      'restricted',
      'restored',
    ]);

    // Traffic flows again, counted on the new day.
    await client.reconnect();
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    const again = 200_000;
    expect((await client.sendUdp(node.tunnelIp(), 9, again, PACE)).bytes).toBe(again);
    const counting = await until(id, (r) => r.day_rx >= BigInt(again));
    expect(counting.status).toBe('active');
  });
});
