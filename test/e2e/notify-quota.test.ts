// Webhooks on real WireGuard: a client sends real traffic through the tunnel, crosses 80 % of its
// limit, then 100 %; however many polls count it, the receiver gets exactly one warning, one
// exceeded and one restricted delivery — for a peer's own limit (peer_…) and for a subscriber's
// (subscriber_…). An on-hold subscriber's first real handshake: exactly one subscriber_activated,
// with the expiry that handshake started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, startNodeAgent, waitFor, type NodeAgent, connectionOf } from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sending pace: 32 datagrams of 1000 bytes every 20 ms, about 1.6 MB/s. */
const PACE = { batch: 32, pauseMs: 20 } as const;
const PEER_ACTIONS = ['peer_traffic_warning', 'peer_traffic_exceeded', 'peer_restricted'];
const SUBSCRIBER_ACTIONS = [
  'subscriber_traffic_warning',
  'subscriber_traffic_exceeded',
  'subscriber_restricted',
];

describe('webhooks of a quota crossed on real WireGuard', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let rx: WebhookReceiver;
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
  const bodies = () => rx.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    lab = await Lab.create({ nodes: 1, clients: 3 });
    await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const added = await api('POST', '/api/addNode', {
      name: 'notify-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.data.adopted[0].ConfigurationName as string;
  });
  afterAll(async () => {
    await lab?.destroy();
    await rx?.close();
  });

  /** A webhook subscribed to these actions; answers its id. */
  async function webhookFor(actions: readonly string[]): Promise<string> {
    const template = (await api('GET', '/api/webHooks/createWebHook')).data as {
      WebHookID: string;
    };
    await api('POST', '/api/webHooks/updateWebHook', {
      ...template,
      PayloadURL: rx.url,
      SubscribedActions: actions,
    });
    return template.WebHookID;
  }

  /**
   * Client `j` connects as peer `id`, sends about 86 % of 1 MiB in several polls (the warning
   * arrives, still active), then across the limit (restricted); then three more polls cross
   * nothing. Answers the webhook's sessions once every one is delivered.
   */
  async function crossTheLimit(
    j: number,
    id: string,
    webhookId: string,
    [warning, , restricted]: readonly string[],
  ) {
    const client = lab.client(j);
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(id)}`,
    );
    const { target, options } = connectionOf(download.data.file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    const node = lab.node(1);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    // To about 86 % of 1 MiB, in several polls: one warning, however many polls count it.
    for (let i = 0; i < 3; i++)
      expect((await client.sendUdp(node.tunnelIp(), 9, 300_000, PACE)).bytes).toBe(300_000);
    await waitFor(
      `the ${warning} delivered`,
      () => (bodies().some((b) => b.action === warning) ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect((await peerRow(id)).status).toBe('active');
    // Across the limit.
    expect((await client.sendUdp(node.tunnelIp(), 9, 300_000, PACE)).bytes).toBe(300_000);
    await waitFor(
      `the ${restricted} delivered`,
      () => (bodies().some((b) => b.action === restricted) ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect((await peerRow(id)).status).toBe('restricted');
    // Three more polls: nothing crosses anything again.
    await polls(3);
    return waitFor('every delivery delivered', async () => {
      const s = (await api('GET', `/api/webHooks/getWebHookSessions?WebHookID=${webhookId}`))
        .data as { Status: number; Action: string }[];
      return s.length >= 3 && s.every((x) => x.Status === 0) ? s : undefined;
    });
  }

  /** Waits until the node has been polled `n` more times (each poll moves its last_seen_at). */
  async function polls(n: number): Promise<void> {
    const seen = new Set<number>();
    await waitFor(
      `${n} more polls`,
      async () => {
        const r = await get()
          .database.db.selectFrom('nodes')
          .select('last_seen_at')
          .executeTakeFirstOrThrow();
        if (r.last_seen_at) seen.add(r.last_seen_at.getTime());
        return seen.size > n ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  }

  /** Sessions and received bodies per action: both exactly one of each. */
  function expectOneEach(actions: readonly string[], sessions: { Action: string }[]) {
    const counts = Object.fromEntries(
      actions.map((a) => [a, sessions.filter((s) => s.Action === a).length]),
    );
    expect(counts).toEqual(Object.fromEntries(actions.map((a) => [a, 1])));
    const received = Object.fromEntries(
      actions.map((a) => [a, bodies().filter((b) => b.action === a).length]),
    );
    expect(received).toEqual(counts);
  }

  it('80 % then 100 %: one warning, one exceeded, one restricted', async () => {
    const webhookId = await webhookFor(PEER_ACTIONS);
    const keys = await lab.client(1).keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: 'notify client',
        public_key: keys.publicKey,
        private_key: keys.privateKey,
        traffic_limit: '1MiB',
      })
    ).data;
    const id = peer.id as string;
    const sessions = await crossTheLimit(1, id, webhookId, PEER_ACTIONS);
    expectOneEach(PEER_ACTIONS, sessions);
    const exceeded = bodies().find((b) => b.action === 'peer_traffic_exceeded')!;
    expect(exceeded).toMatchObject({
      configuration: configName,
      node: 'notify-node',
      peers: [id],
      limit: 1024 * 1024,
      peer: { id, name: 'notify client' },
    });
    expect(exceeded.usage as number).toBeGreaterThanOrEqual(1024 * 1024);
    expect(bodies().find((b) => b.action === 'peer_restricted')).toMatchObject({
      reason: 'traffic_limit',
    });
  });

  it("a subscriber's 80 % then 100 %: one subscriber_traffic_warning, one subscriber_traffic_exceeded, one subscriber_restricted", async () => {
    const webhookId = await webhookFor(SUBSCRIBER_ACTIONS);
    const keys = await lab.client(2).keys();
    const s = (
      await api('POST', '/api/addSubscriber', {
        name: 'notify subscriber',
        email: 'notify@example.test',
        traffic_limit: '1MiB',
        peers: [
          {
            configuration: configName,
            name: 'notify sub client',
            public_key: keys.publicKey,
            private_key: keys.privateKey,
          },
        ],
      })
    ).data as { id: number; token: string };
    const sessions = await crossTheLimit(2, keys.publicKey, webhookId, SUBSCRIBER_ACTIONS);
    expectOneEach(SUBSCRIBER_ACTIONS, sessions);
    const warning = bodies().find((b) => b.action === 'subscriber_traffic_warning')!;
    expect(warning).toMatchObject({ limit: 1024 * 1024, percent: expect.any(Number) });
    expect(warning.percent as number).toBeGreaterThanOrEqual(80);
    const exceeded = bodies().find((b) => b.action === 'subscriber_traffic_exceeded')!;
    expect(exceeded).toMatchObject({
      limit: 1024 * 1024,
      configurations: [configName],
      nodes: ['notify-node'],
      peers: [keys.publicKey],
      subscriber: {
        id: s.id,
        name: 'notify subscriber',
        traffic_limit: 1024 * 1024,
        peers: [{ id: keys.publicKey, configuration: configName, node: 'notify-node' }],
      },
    });
    expect(exceeded.usage as number).toBeGreaterThanOrEqual(1024 * 1024);
    expect(bodies().find((b) => b.action === 'subscriber_restricted')).toMatchObject({
      reason: 'traffic_limit',
      subscriber: { id: s.id, status: 'restricted', restriction_reason: 'traffic_limit' },
    });
    const all = rx.requests.map((r) => r.body).join('\n');
    expect(all).not.toContain(s.token);
    expect(all).not.toContain(keys.privateKey);
  });

  it("an on-hold subscriber's first handshake: one subscriber_activated, with the new expiry", async () => {
    const webhookId = await webhookFor(['subscriber_activated']);
    const keys = await lab.client(3).keys();
    const s = (
      await api('POST', '/api/addSubscriber', {
        name: 'notify on hold',
        on_hold_days: 30,
        peers: [
          {
            configuration: configName,
            name: 'notify hold client',
            public_key: keys.publicKey,
            private_key: keys.privateKey,
          },
        ],
      })
    ).data as { id: number; status: string; expiry_date: string | null };
    expect([s.status, s.expiry_date]).toEqual(['on_hold', null]);
    // Polled without a handshake: still on hold, nothing sent.
    await polls(2);
    const activated = () => bodies().filter((b) => b.action === 'subscriber_activated');
    expect(activated()).toEqual([]);

    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(keys.publicKey)}`,
    );
    const { target, options } = connectionOf(download.data.file, lab.node(1).tunnelSubnet);
    await lab.client(3).connect(target, options);
    expect(await lab.client(3).probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    await waitFor(
      'the subscriber_activated delivered',
      () => (activated().length > 0 ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    // More polls that see the same and newer handshakes: nothing more.
    expect(await lab.client(3).probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    await polls(3);
    const sessions = (await api('GET', `/api/webHooks/getWebHookSessions?WebHookID=${webhookId}`))
      .data as { Status: number; Action: string }[];
    expect(sessions.map((x) => [x.Action, x.Status])).toEqual([['subscriber_activated', 0]]);
    expect(activated()).toHaveLength(1);

    const handshake = (await peerRow(keys.publicKey)).latest_handshake_at!;
    const stored = await get()
      .database.db.selectFrom('subscribers')
      .select(['status', 'activated_at', 'expiry_date'])
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    const expiry = new Date(stored.activated_at!.getTime() + 30 * 86_400_000).toISOString();
    expect(stored.status).toBe('active');
    expect(stored.expiry_date!.toISOString()).toBe(expiry);
    // The first handshake: at or before the one the peer shows now.
    expect(stored.activated_at!.getTime()).toBeLessThanOrEqual(handshake.getTime());
    expect(activated()[0]).toMatchObject({
      action: 'subscriber_activated',
      handshake_at: stored.activated_at!.toISOString(),
      expiry_date: expiry,
      configurations: [configName],
      nodes: ['notify-node'],
      peers: [keys.publicKey],
      subscriber: {
        id: s.id,
        name: 'notify on hold',
        status: 'active',
        expiry_date: expiry,
        activated_at: stored.activated_at!.toISOString(),
      },
      webhook_id: webhookId,
    });
  });
});
