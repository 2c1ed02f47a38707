// Subscribers on real WireGuard: two nodes (an agent each, in its own namespace), a real client
// on each. One subscriber, one peer per node, a 2 MiB limit over both: each client sends 1.5 MiB,
// and the ingest of whichever node's dump makes the sum cross cuts both peers off both nodes.
// Raising the limit brings both back, a date moved into the past cuts both, before the answer;
// the subscriber's page (JSON and header) says what the ledger holds. On hold: the date starts at
// the first real handshake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  connectionOf,
  startNodeAgent,
  waitFor,
  type LabClient,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';

interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const MiB = 1024 * 1024;
const DAY = 86_400_000;
/** Sending pace: 32 datagrams of 1000 bytes every 20 ms, about 1.6 MB/s. */
const PACE = { batch: 32, pauseMs: 20 } as const;

describe('subscribers on real WireGuard, two nodes', () => {
  let lab: Lab;
  const agents: NodeAgent[] = [];
  const ifs: WgInterface[] = [];
  const configs: string[] = [];
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
  const onNode = async (n: number, key: string) =>
    (await agents[n]!.client.dump(ifs[n]!.name)).body.peers.some((p) => p.public_key === key);
  const subscriber = async (id: number) => (await api('GET', `/api/getSubscriber?id=${id}`)).data;
  const until = <T>(what: string, read: () => Promise<T | undefined>) =>
    waitFor(what, read, { timeoutMs: 20_000, intervalMs: 200 });

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 2, clients: 3 });
    for (const n of [1, 2]) {
      ifs.push(await lab.node(n).createWgInterface());
      agents.push(await startNodeAgent(lab, lab.node(n)));
      await lab.node(n).startEcho();
      const added = await api('POST', '/api/addNode', {
        name: `sub-node-${n}`,
        join: agents[n - 1]!.join.raw,
        public_host: lab.node(n).underlayIp,
      });
      configs.push(added.data.adopted[0].ConfigurationName as string);
    }
  });
  afterAll(() => lab?.destroy());

  /** Connects client `c` to node `n` with the config file the subscriber's page serves. */
  async function connect(client: LabClient, n: number, configUrl: string): Promise<void> {
    const res = await get().panel.app.inject({ url: configUrl });
    expect(res.statusCode).toBe(200);
    const { target, options } = connectionOf(res.body, lab.node(n).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(n).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  }

  it('cuts both peers off both nodes when the sum crosses 2 MiB, restores both, cuts both at a past date', async () => {
    const [c1, c2] = [lab.client(1), lab.client(2)];
    const [k1, k2] = [await c1.keys(), await c2.keys()];
    const s = (
      await api('POST', '/api/addSubscriber', {
        name: 'Alice',
        traffic_limit: '2MiB',
        peers: [
          { configuration: configs[0], public_key: k1.publicKey, private_key: k1.privateKey },
          { configuration: configs[1], public_key: k2.publicKey, private_key: k2.privateKey },
        ],
      })
    ).data;
    const page = (
      await get().panel.app.inject({ url: s.url, headers: { accept: 'application/json' } })
    ).json();
    await connect(c1, 1, page.peers[0].config_url);
    await connect(c2, 2, page.peers[1].config_url);
    expect([await onNode(0, k1.publicKey), await onNode(1, k2.publicKey)]).toEqual([true, true]);

    // 1.5 MiB each: neither alone crosses, the sum does.
    const each = 1.5 * MiB;
    expect((await c1.sendUdp(lab.node(1).tunnelIp(), 9, each, PACE)).bytes).toBe(each);
    const counted = await until('node 1 counted', async () => {
      const x = await subscriber(s.id);
      return x.usage.total >= each ? x : undefined;
    });
    expect(counted.status).toBe('active');
    expect((await c2.sendUdp(lab.node(2).tunnelIp(), 9, each, PACE)).bytes).toBe(each);
    const cut = await until('the subscriber cut off', async () => {
      const x = await subscriber(s.id);
      return x.status === 'restricted' ? x : undefined;
    });
    expect(cut.restriction_reason).toBe('traffic_limit');
    expect(cut.peers.map((p: { status: string }) => p.status)).toEqual([
      'restricted',
      'restricted',
    ]);
    await until('both peers off both nodes', async () =>
      !(await onNode(0, k1.publicKey)) && !(await onNode(1, k2.publicKey)) ? true : undefined,
    );
    expect(await c1.probe(lab.node(1).tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    expect(await c2.probe(lab.node(2).tunnelIp(), { timeoutMs: 2000 })).toBe(false);

    // The page and its header say what the ledger holds (per peer: lifetime − base).
    const rows = await get()
      .database.db.selectFrom('peers')
      .select(['lifetime_rx', 'lifetime_tx', 'subscriber_base_rx', 'subscriber_base_tx'])
      .where('subscriber_id', '=', s.id)
      .execute();
    const rx = rows.reduce((a, r) => a + r.lifetime_rx - r.subscriber_base_rx, 0n);
    const tx = rows.reduce((a, r) => a + r.lifetime_tx - r.subscriber_base_tx, 0n);
    expect(rx + tx).toBeGreaterThanOrEqual(BigInt(2 * MiB));
    const res = await get().panel.app.inject({
      url: s.url,
      headers: { accept: 'application/json' },
    });
    expect(res.headers['subscription-userinfo']).toBe(
      `upload=${rx}; download=${tx}; total=${2 * MiB}; expire=0`,
    );
    expect(res.json().usage).toEqual({
      upload: Number(rx),
      download: Number(tx),
      total: Number(rx + tx),
    });
    expect(res.json().status).toBe('restricted');

    const raised = await api('POST', '/api/updateSubscriber', { id: s.id, traffic_limit: '1GiB' });
    expect(raised.data.status).toBe('active');
    expect([await onNode(0, k1.publicKey), await onNode(1, k2.publicKey)]).toEqual([true, true]);
    await c1.reconnect();
    await c2.reconnect();
    expect(await c1.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    expect(await c2.probe(lab.node(2).tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    const past = new Date(Date.now() - 60_000).toISOString();
    const expired = await api('POST', '/api/updateSubscriber', { id: s.id, expiry_date: past });
    expect(expired.data).toMatchObject({ status: 'restricted', restriction_reason: 'expired' });
    expect([await onNode(0, k1.publicKey), await onNode(1, k2.publicKey)]).toEqual([false, false]);
  });

  it('stays on hold until the first handshake, then expires that handshake + N days later', async () => {
    const c3 = lab.client(3);
    const keys = await c3.keys();
    const s = (
      await api('POST', '/api/addSubscriber', {
        name: 'Bob',
        on_hold_days: 30,
        peers: [
          { configuration: configs[0], public_key: keys.publicKey, private_key: keys.privateKey },
        ],
      })
    ).data;
    expect(s).toMatchObject({ status: 'on_hold', expiry_date: null });
    // A poll of its node after it was made: still on hold, nothing handshook.
    const node = () =>
      get()
        .database.db.selectFrom('nodes')
        .select('last_seen_at')
        .where('name', '=', 'sub-node-1')
        .executeTakeFirstOrThrow();
    const seen = (await node()).last_seen_at?.getTime() ?? 0;
    await until('a poll of node 1', async () =>
      ((await node()).last_seen_at?.getTime() ?? 0) > seen ? true : undefined,
    );
    expect((await subscriber(s.id)).status).toBe('on_hold');
    const page = (
      await get().panel.app.inject({ url: s.url, headers: { accept: 'application/json' } })
    ).json();
    await connect(c3, 1, page.peers[0].config_url);
    const on = await until('activated', async () => {
      const x = await subscriber(s.id);
      return x.status === 'active' ? x : undefined;
    });
    const peer = await get()
      .database.db.selectFrom('peers')
      .select('latest_handshake_at')
      .where('public_key', '=', keys.publicKey)
      .executeTakeFirstOrThrow();
    expect(on.activated_at).toBe(peer.latest_handshake_at!.toISOString());
    expect(on.expiry_date).toBe(
      new Date(peer.latest_handshake_at!.getTime() + 30 * DAY).toISOString(),
    );
    expect(on.events.map((e: { type: string }) => e.type)).toContain('activated');
  });
});
