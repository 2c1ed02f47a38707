// Quotas and expiry on real WireGuard: a node joined through the API, a client whose peer was
// added through the API sends real traffic; the panel polls every second, ingests the counters
// and cuts the peer off within a poll of crossing its limit, or at its expiry date, and brings
// it back when the limit is raised or the date extended. A change made through any endpoint
// (the seed's, updatePeerSettings, addPeers) acts on the node before its answer returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  WG_PER_PACKET_OVERHEAD,
  startNodeAgent,
  waitFor,
  type LabClient,
  type NodeAgent,
  type WgInterface,
  connectionOf,
} from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';

interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const MiB = 1024 * 1024;
/** Sending pace: 32 datagrams of 1000 bytes every 20 ms, about 1.6 MB/s. */
const PACE = { batch: 32, pauseMs: 20 } as const;
/** Handshakes, probes and the node's rate-limited ICMP answers: bytes beyond the payload. */
const SLACK = 16_384;
/** Most bytes WireGuard counts for `payload` bytes sent as 1000-byte datagrams. */
const upperBound = (payload: number) =>
  BigInt(payload + Math.ceil(payload / 1000) * WG_PER_PACKET_OVERHEAD + SLACK);

describe('quotas and expiry on real WireGuard', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let configName: string;
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, {
    start: true,
    realClock: true,
    config: { pollIntervalMs: 1000 },
  });
  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json() as Answer;
  };
  const peerRow = (key: string) =>
    get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('public_key', '=', key)
      .executeTakeFirstOrThrow();
  const onNode = async (key: string) =>
    (await agent.client.dump(nodeIf.name)).body.peers.some((p) => p.public_key === key);
  /**
   * Waits (bounded) until the peer is gone from the node: the row is committed restricted
   * first, and the node follows when the convergence after that commit has run.
   */
  const offNode = (key: string) =>
    waitFor('the peer gone from the node', async () => ((await onNode(key)) ? undefined : true), {
      timeoutMs: 5000,
      intervalMs: 100,
    });
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

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 3 });
    nodeIf = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const added = await api('POST', '/api/addNode', {
      name: 'quota-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.data.adopted[0].ConfigurationName as string;
  });
  afterAll(() => lab?.destroy());

  async function connectClient(i: number): Promise<{ id: string; client: LabClient }> {
    const client = lab.client(i);
    const keys = await client.keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: `quota client ${i}`,
        public_key: keys.publicKey,
        private_key: keys.privateKey,
      })
    ).data;
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(peer.id)}`,
    );
    const { target, options } = connectionOf(download.data.file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    return { id: peer.id as string, client };
  }

  it('cuts a peer off within a poll of crossing 1 MiB, and restores it when the limit is raised', async () => {
    const { id, client } = await connectClient(1);
    const node = lab.node(1);
    const limited = await api('POST', `/api/updatePeerTrafficLimit/${configName}`, {
      id,
      traffic_limit: '1MiB',
    });
    expect(limited.data.status).toBe('active');

    // Below the limit first: counted, still active.
    const below = 600_000;
    expect((await client.sendUdp(node.tunnelIp(), 9, below, PACE)).bytes).toBe(below);
    const counted = await until(id, (r) => r.period_rx >= BigInt(below));
    expect(counted.status).toBe('active');
    // Across it: restricted in the poll that counts the crossing.
    const across = 600_000;
    expect((await client.sendUdp(node.tunnelIp(), 9, across, PACE)).bytes).toBe(across);
    const cut = await until(id, (r) => r.status === 'restricted');
    expect(cut.restriction_reason).toBe('traffic_limit');
    await offNode(id);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);

    const events = (
      await api(
        'GET',
        `/api/getPeerEvents?configurationName=${configName}&id=${encodeURIComponent(id)}`,
      )
    ).data.events as { type: string; message: string; data: { usage: string } }[];
    const exceeded = events.find((e) => e.type === 'exceeded');
    expect(exceeded?.message).toMatch(
      new RegExp(
        `^Peer quota client 1 \\(${id.slice(0, 6).replace(/[+/]/g, '\\$&')}\\.\\.\\.\\) exceeded traffic limit\\. Usage: \\d+ / 1048576 bytes$`,
      ),
    );
    const atCut = BigInt(exceeded?.data.usage ?? '0');
    expect(atCut).toBeGreaterThanOrEqual(BigInt(MiB));
    expect(atCut).toBeLessThanOrEqual(upperBound(below + across));
    const usageCut = (await peerRow(id)).period_rx;
    expect(events.map((e) => e.type)).toContain('restricted');

    const raised = await api('POST', `/api/updatePeerTrafficLimit/${configName}`, {
      id,
      traffic_limit: '100MiB',
    });
    expect(raised.data.status).toBe('active'); // within the request
    expect(await onNode(id)).toBe(true);
    await client.reconnect();
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    await client.sendUdp(node.tunnelIp(), 9, 500_000, PACE);
    const after = await until(id, (r) => r.period_rx >= usageCut + 500_000n);
    expect(after.status).toBe('active');
    expect(after.lifetime_rx).toBeGreaterThanOrEqual(after.period_rx);
  });

  it('cuts a peer off at its expiry date and restores it when the date is extended', async () => {
    const { id, client } = await connectClient(2);
    const node = lab.node(1);
    // No enforcement pass for an hour: only the pass planned at the expiry date can cut it
    // within the bounded wait below.
    await api('POST', '/api/updatePanelSettings', { enforcement_interval_seconds: 3600 });
    const expiry = new Date(Date.now() + 4000);
    const set = await api('POST', `/api/updatePeerExpiryDate/${configName}`, {
      id,
      expiry_date: expiry.toISOString(),
    });
    expect(set.data).toMatchObject({ status: 'active', expired: false });
    const cut = await until(id, (r) => r.status === 'restricted');
    expect(cut.restriction_reason).toBe('expired');
    expect(cut.restricted_at!.getTime()).toBeGreaterThanOrEqual(expiry.getTime());
    await offNode(id);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);

    const extended = await api('POST', `/api/updatePeerExpiryDate/${configName}`, {
      id,
      expiry_date: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(extended.data.status).toBe('active');
    expect(await onNode(id)).toBe(true);
    await client.reconnect();
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    await api('POST', '/api/updatePanelSettings', { enforcement_interval_seconds: 30 });
  });

  // The web UI's Edit dialog saves through updatePeerSettings: the same quota path as the seed's
  // endpoints, so the node follows before the answer (no waiting here: the dump is read once).
  it('updatePeerSettings: a limit lowered below usage cuts the peer and a raised one restores it, before the answer', async () => {
    const { id, client } = await connectClient(3);
    const node = lab.node(1);
    const used = 200_000;
    await client.sendUdp(node.tunnelIp(), 9, used, PACE);
    await until(id, (r) => r.period_rx >= BigInt(used));
    const settings = (body: object) =>
      api('POST', `/api/updatePeerSettings/${configName}`, { id, ...body });

    const lowered = await settings({ traffic_limit: 100_000 });
    expect(lowered.data).toMatchObject({
      status: 'restricted',
      restriction_reason: 'traffic_limit',
    });
    expect(await onNode(id)).toBe(false);
    const raised = await settings({ traffic_limit: '1GiB' });
    expect(raised.data).toMatchObject({ status: 'active', restriction_reason: null });
    expect(await onNode(id)).toBe(true);

    const expired = await settings({ expiry_date: new Date(Date.now() - 60_000).toISOString() });
    expect(expired.data).toMatchObject({ status: 'restricted', restriction_reason: 'expired' });
    expect(await onNode(id)).toBe(false);
    const cleared = await settings({ expiry_date: '', traffic_limit: '' });
    expect(cleared.data).toMatchObject({
      status: 'active',
      expiry_date: null,
      traffic_limit: null,
    });
    expect(await onNode(id)).toBe(true);
    await client.reconnect();
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });

  it('addPeers: peers added with a zero limit or a past expiry are restricted before the answer and never reach the node', async () => {
    const [zero] = (
      await api('POST', `/api/addPeers/${configName}`, { name: 'zero', traffic_limit: 0 })
    ).data;
    expect(zero).toMatchObject({ status: 'restricted', restriction_reason: 'traffic_limit' });
    expect(await onNode(zero.id)).toBe(false);
    const bulk = (
      await api('POST', `/api/addPeers/${configName}`, {
        bulkAdd: true,
        bulkAddAmount: 3,
        expiry_date: new Date(Date.now() - 60_000).toISOString(),
      })
    ).data as { id: string; status: string; restriction_reason: string }[];
    expect(bulk.map((p) => [p.status, p.restriction_reason])).toEqual(
      Array.from({ length: 3 }, () => ['restricted', 'expired']),
    );
    for (const p of bulk) expect(await onNode(p.id)).toBe(false);

    // Raised (cleared) through the same path: on the node before the answer.
    const raised = await api('POST', `/api/updatePeerSettings/${configName}`, {
      id: zero.id,
      traffic_limit: null,
    });
    expect(raised.data.status).toBe('active');
    expect(await onNode(zero.id)).toBe(true);
    const extended = await api('POST', `/api/updatePeerExpiryDate/${configName}`, {
      peers: bulk.map((p) => p.id),
      expiry_date: null,
    });
    expect(extended.data.map((p: { status: string }) => p.status)).toEqual([
      'active',
      'active',
      'active',
    ]);
    for (const p of bulk) expect(await onNode(p.id)).toBe(true);
  });
});
