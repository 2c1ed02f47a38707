// Quotas and expiry on real WireGuard: a node joined through the API, a client whose peer was
// added through the API sends real traffic; the panel polls every second, ingests the counters
// and cuts the peer off within a poll of crossing its limit, or at its expiry date, and brings
// it back when the limit is raised or the date extended.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  startNodeAgent,
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
const RATE_BYTES_PER_S = 1_600_000;

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
   * Waits (at most two polls) until the peer is gone from the node: the row is committed
   * restricted first, and the node follows when the convergence after that commit has run.
   */
  async function offNode(key: string): Promise<boolean> {
    for (let i = 0; i < 20; i++) {
      if (!(await onNode(key))) return true;
      await sleep(100);
    }
    return false;
  }
  /** Waits (bounded) until the peer's row satisfies `ok`. */
  async function until(key: string, ok: (r: Awaited<ReturnType<typeof peerRow>>) => boolean) {
    for (let i = 0; i < 100; i++) {
      const r = await peerRow(key);
      if (ok(r)) return r;
      await sleep(200);
    }
    throw new Error('condition not reached in 20 s');
  }

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 2 });
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

    const sent = await client.sendUdp(node.tunnelIp(), 9, 5 * MiB, PACE);
    expect(sent.bytes).toBe(5 * MiB);
    const cut = await until(id, (r) => r.status === 'restricted');
    expect(cut.restriction_reason).toBe('traffic_limit');
    expect(await offNode(id)).toBe(true);
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
    // Counted when crossed: at most about one poll (plus a slow one) of traffic beyond the limit.
    const atCut = BigInt(exceeded?.data.usage ?? '0');
    expect(atCut).toBeGreaterThanOrEqual(BigInt(MiB));
    expect(atCut).toBeLessThan(BigInt(MiB + 3 * RATE_BYTES_PER_S));
    // Its traffic stopped: far less than the 5 MiB sent reached the node.
    const usageCut = cut.period_rx + cut.period_tx;
    expect(usageCut).toBeLessThan(BigInt(4 * MiB));
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
    const expiry = new Date(Date.now() + 4000);
    const set = await api('POST', `/api/updatePeerExpiryDate/${configName}`, {
      id,
      expiry_date: expiry.toISOString(),
    });
    expect(set.data).toMatchObject({ status: 'active', expired: false });
    const cut = await until(id, (r) => r.status === 'restricted');
    expect(cut.restriction_reason).toBe('expired');
    expect(cut.restricted_at!.getTime()).toBeGreaterThanOrEqual(expiry.getTime());
    expect(cut.restricted_at!.getTime()).toBeLessThan(expiry.getTime() + 3000);
    expect(await offNode(id)).toBe(true);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);

    const extended = await api('POST', `/api/updatePeerExpiryDate/${configName}`, {
      id,
      expiry_date: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(extended.data.status).toBe('active');
    expect(await onNode(id)).toBe(true);
    await client.reconnect();
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });
});
