// Subscribers through the API on every dialect: one customer with peers on two configurations
// (nodes), one limit and one date over the sum of its peers, enforced by the ingest of whichever
// node's dump makes the sum cross, all-or-nothing creation with errors naming the field, and its
// own page (/sub/{token}). Nodes are unreachable here (the lab test has real ones): convergence
// is the sync's, tested elsewhere; this holds the database to what the policy decided.
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ObservedConfiguration } from '../../src/panel/app/sync/ports.js';
import { createUsageArea } from '../../src/panel/areas/usage-area.js';
import type { DumpPeer } from '../../src/shared/wire/agent-api.js';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { MISSING_PRIVATE_KEY } from '../../src/panel/domain/client-config.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';

interface Answer {
  status: boolean;
  message: string | null;
  subject?: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const MiB = 1024 * 1024;
const DAY = 86_400_000;

describe.each(DIALECTS_UNDER_TEST)('subscribers on $name', (dialect) => {
  const get = usePanel(dialect);
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    return { code: res.statusCode, body: res.json() as Answer };
  };
  const ok = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const r = await call(method, url, payload);
    expect(r.code, JSON.stringify(r.body).slice(0, 400)).toBe(200);
    return r.body.data;
  };
  const counts = async () => {
    const db = get().database.db;
    const n = async (t: 'subscribers' | 'peers') =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { subscribers: await n('subscribers'), peers: await n('peers') };
  };
  const peerRow = (id: number) =>
    get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const peerIdOf = async (key: string) =>
    (
      await get()
        .database.db.selectFrom('peers')
        .select('id')
        .where('public_key', '=', key)
        .executeTakeFirstOrThrow()
    ).id;

  /** The ingest of another "panel process" on the same database, fed synthetic dumps. */
  function ingest() {
    const { ctx, clock } = get();
    const area = createUsageArea(
      { ...ctx, logger: pino({ level: 'silent' }), metrics: new Registry(), now: clock.now },
      { converge: async () => ({ applied: true }) },
    );
    return (
      cfg: { id: number; nodeId: number },
      peers: { key: string; rx: number; tx: number; handshake?: number }[],
    ) => {
      const observed: ObservedConfiguration = {
        nodeId: cfg.nodeId,
        configurationId: cfg.id,
        observedAt: clock.now(),
        dump: {
          interface: { name: 'wg0', public_key: null, listen_port: 51820, fwmark: null },
          peers: peers.map((p): DumpPeer => ({
            public_key: p.key,
            endpoint: null,
            allowed_ips: [],
            latest_handshake: p.handshake ?? Math.floor(clock.now().getTime() / 1000),
            transfer_rx: p.rx,
            transfer_tx: p.tx,
            persistent_keepalive: null,
          })),
        },
      };
      return area.ingest.onDump(observed);
    };
  }

  it('creates a subscriber with one peer on each of two configurations, and answers its page', async () => {
    const a = await seedConfiguration(get().database);
    const b = await seedConfiguration(get().database);
    const s = await ok('POST', '/api/addSubscriber', {
      name: 'Alice',
      email: 'alice@example.test',
      traffic_limit: '2MiB',
      peers: [{ configuration: a.name, name: 'phone' }, { configuration: b.name }],
    });
    expect(s).toMatchObject({
      name: 'Alice',
      status: 'active',
      traffic_limit: 2 * MiB,
      peer_count: 2,
    });
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.url).toBe(`/sub/${s.token}`);
    expect(s.peers.map((p: { configuration: string }) => p.configuration)).toEqual([
      a.name,
      b.name,
    ]);
    expect(s.peers.every((p: { subscriber_id: number }) => p.subscriber_id === s.id)).toBe(true);
    const list = await ok('GET', '/api/getSubscribers?search=alice');
    expect(list.total).toBe(1);
    expect(list.subscribers[0]).not.toHaveProperty('token');
  });

  it('writes nothing when any peer is wrong, and names the field', async () => {
    const a = await seedConfiguration(get().database);
    const before = await counts();
    const unknown = await call('POST', '/api/addSubscriber', {
      name: 'Bob',
      peers: [{ configuration: a.name }, { configuration: 'no-such-configuration' }],
    });
    expect(unknown.code).toBe(404);
    expect(unknown.body.subject).toBe('peers[1].configuration');
    const badDns = await call('POST', '/api/addSubscriber', {
      name: 'Bob',
      peers: [{ configuration: a.name }, { configuration: a.name, DNS: 'not a dns;' }],
    });
    expect(badDns.code).toBe(400);
    expect(badDns.body.subject).toBe('peers[1].DNS');
    const missing = await call('POST', '/api/addSubscriber', {
      name: 'Bob',
      peers: [{ name: 'x' }],
    });
    expect(missing.code).toBe(400);
    expect(missing.body.subject).toBe('peers[0].configuration');
    // A conflict found inside the transaction: the first peer was already inserted, then undone.
    const { publicKey } = generateWgKeyPair();
    await ok('POST', `/api/addPeers/${a.name}`, { public_key: publicKey });
    const after = await counts();
    const taken = await call('POST', '/api/addSubscriber', {
      name: 'Bob',
      peers: [{ configuration: a.name }, { configuration: a.name, public_key: publicKey }],
    });
    expect(taken.code).toBe(409);
    expect(taken.body.subject).toBe('peers[1].public_key');
    expect(await counts()).toEqual(after);
    expect(after).toEqual({ ...before, peers: before.peers + 1 });
    await ok('POST', '/api/addSubscriber', { name: 'Bob' });
    const twice = await call('POST', '/api/addSubscriber', { name: 'Bob' });
    expect([twice.code, twice.body.subject]).toEqual([409, 'name']);
    const badLimit = await call('POST', '/api/addSubscriber', { name: 'Carol', traffic_limit: -1 });
    expect([badLimit.code, badLimit.body.subject]).toEqual([400, 'traffic_limit']);
  });

  it('cuts every peer on every node within the poll whose dump crosses the sum, and restores them together', async () => {
    const a = await seedConfiguration(get().database);
    const b = await seedConfiguration(get().database);
    const s = await ok('POST', '/api/addSubscriber', {
      name: 'Dora',
      traffic_limit: 2 * MiB,
      peers: [{ configuration: a.name }, { configuration: b.name }],
    });
    const [pa, pb] = s.peers as { id: string }[];
    const ida = await peerIdOf(pa!.id);
    const idb = await peerIdOf(pb!.id);
    const feed = ingest();
    await feed({ id: a.id, nodeId: a.nodeId }, [{ key: pa!.id, rx: 1.5 * MiB, tx: 0 }]);
    expect((await peerRow(ida)).status).toBe('active');
    // The second node's dump makes the sum 3 MiB: both peers cut in this very ingest.
    await feed({ id: b.id, nodeId: b.nodeId }, [{ key: pb!.id, rx: 1.5 * MiB, tx: 1000 }]);
    for (const id of [ida, idb])
      expect(await peerRow(id)).toMatchObject({
        status: 'restricted',
        restriction_reason: 'traffic_limit',
        restricted_by_subscriber: true,
      });
    const cut = await ok('GET', `/api/getSubscriber?id=${s.id}`);
    expect(cut).toMatchObject({ status: 'restricted', restriction_reason: 'traffic_limit' });
    expect(cut.usage).toEqual({ upload: 3 * MiB, download: 1000, total: 3 * MiB + 1000 });
    expect(cut.usage_by_configuration.map((u: { total: number }) => u.total)).toEqual([
      1.5 * MiB,
      1.5 * MiB + 1000,
    ]);
    const exceeded = cut.events.find((e: { type: string }) => e.type === 'exceeded');
    expect(exceeded.message).toBe(
      `Subscriber Dora exceeded traffic limit. Usage: ${3 * MiB + 1000} / ${2 * MiB} bytes`,
    );

    const raised = await ok('POST', '/api/updateSubscriber', { id: s.id, traffic_limit: '10MiB' });
    expect(raised.status).toBe('active');
    for (const id of [ida, idb]) expect((await peerRow(id)).status).toBe('active');

    const past = new Date(get().clock.now().getTime() - 60_000).toISOString();
    const expired = await ok('POST', '/api/updateSubscriber', { id: s.id, expiry_date: past });
    expect(expired).toMatchObject({ status: 'restricted', restriction_reason: 'expired' });
    for (const id of [ida, idb])
      expect(await peerRow(id)).toMatchObject({
        status: 'restricted',
        restriction_reason: 'expired',
      });
    // A peer's own limit still applies: lifted subscriber, peer over its own limit stays cut.
    await ok('POST', `/api/updatePeerSettings/${a.name}`, { id: pa!.id, traffic_limit: 1000 });
    await ok('POST', '/api/updateSubscribers', { ids: [s.id], expiry_date: null });
    expect(await peerRow(ida)).toMatchObject({
      status: 'restricted',
      restriction_reason: 'traffic_limit',
      restricted_by_subscriber: false,
    });
    expect((await peerRow(idb)).status).toBe('active');

    // By hand: stays until allowed; a reset brings a limit-cut subscriber back.
    await ok('POST', '/api/restrictSubscriber', { id: s.id });
    expect(await peerRow(idb)).toMatchObject({
      status: 'restricted',
      restriction_reason: 'manual',
    });
    await ok('POST', '/api/allowSubscriber', { id: s.id });
    expect((await peerRow(idb)).status).toBe('active');
    await ok('POST', '/api/updateSubscriber', { id: s.id, traffic_limit: MiB });
    expect((await peerRow(idb)).status).toBe('restricted');
    const reset = await ok('POST', '/api/resetSubscriberData', { id: s.id });
    expect(reset).toMatchObject({ status: 'active', usage: { total: 0 } });
    expect((await peerRow(idb)).status).toBe('active');
  });

  it('serves its page as JSON and HTML with the subscription-userinfo header; 404 for any other token', async () => {
    const a = await seedConfiguration(get().database);
    const b = await seedConfiguration(get().database);
    const { publicKey } = generateWgKeyPair();
    const expiry = new Date(get().clock.now().getTime() + 30 * DAY);
    const s = await ok('POST', '/api/addSubscriber', {
      name: 'Eve',
      traffic_limit: 5 * MiB,
      expiry_date: expiry.toISOString(),
      peers: [{ configuration: a.name }, { configuration: b.name, public_key: publicKey }],
    });
    const feed = ingest();
    await feed({ id: a.id, nodeId: a.nodeId }, [{ key: s.peers[0].id, rx: 1000, tx: 5000 }]);
    await feed({ id: b.id, nodeId: b.nodeId }, [{ key: publicKey, rx: 200, tx: 300 }]);
    const app = get().panel.app;
    const json = await app.inject({ url: s.url, headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(200);
    const e = Math.floor(expiry.getTime() / 1000);
    expect(json.headers['subscription-userinfo']).toBe(
      `upload=1200; download=5300; total=${5 * MiB}; expire=${e}`,
    );
    expect(json.headers['referrer-policy']).toBe('no-referrer');
    expect(json.headers['x-robots-tag']).toContain('noindex');
    const page = json.json();
    expect(page).toMatchObject({
      name: 'Eve',
      status: 'active',
      usage: { upload: 1200, download: 5300, total: 6500 },
      traffic_limit: 5 * MiB,
      expiry_date: expiry.toISOString(),
    });
    expect(page.peers).toHaveLength(2);
    expect(page.peers[0].config_url).toMatch(new RegExp(`^/sub/${s.token}/config/\\d+$`));
    const conf = await app.inject({ url: page.peers[0].config_url });
    expect(conf.headers['content-disposition']).toMatch(
      /^attachment; filename="[A-Za-z0-9_=+.-]{1,15}\.conf"$/,
    );
    expect(conf.body).toMatch(/^\[Interface\]\nPrivateKey = [A-Za-z0-9+/]{43}=\n/);
    const noKey = await app.inject({ url: page.peers[1].config_url });
    expect(noKey.body).toContain(MISSING_PRIVATE_KEY);
    const qr = await app.inject({ url: page.peers[0].qr_url });
    expect([qr.statusCode, qr.headers['content-type']]).toEqual([200, 'image/png']);
    const html = await app.inject({ url: s.url, headers: { 'accept-language': 'ru,en;q=0.5' } });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['subscription-userinfo']).toBe(json.headers['subscription-userinfo']);
    expect(html.body).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html.body).toContain('Активна');

    const wrong = await app.inject({ url: `/sub/${'A'.repeat(43)}` });
    const junk = await app.inject({ url: '/sub/short' });
    await ok('POST', '/api/rotateSubscriberToken', { id: s.id });
    const rotated = await app.inject({ url: s.url });
    for (const r of [wrong, junk, rotated]) {
      expect(r.statusCode).toBe(404);
      expect(r.body).toBe(wrong.body);
      expect(r.headers['subscription-userinfo']).toBeUndefined();
    }
  });

  it('limits page lookups per address', async () => {
    const app = get().panel.app;
    const codes: number[] = [];
    for (let i = 0; i < 70; i++)
      codes.push(
        (await app.inject({ url: `/sub/${'B'.repeat(43)}`, remoteAddress: '192.0.2.77' }))
          .statusCode,
      );
    expect(codes.slice(0, 50).every((c) => c === 404)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    const other = await app.inject({ url: `/sub/${'B'.repeat(43)}`, remoteAddress: '192.0.2.78' });
    expect(other.statusCode).toBe(404);
  });

  it('assigns and unassigns peers; a peer of another subscriber is refused, naming it', async () => {
    const a = await seedConfiguration(get().database);
    const one = await ok('POST', '/api/addSubscriber', { name: 'Fay', traffic_limit: 0 });
    const two = await ok('POST', '/api/addSubscriber', {
      name: 'Gus',
      peers: [{ configuration: a.name }],
    });
    const [peer] = await ok('POST', `/api/addPeers/${a.name}`, { name: 'loose' });
    const joined = await ok('POST', '/api/assignSubscriberPeers', {
      id: one.id,
      peers: [{ configuration: a.name, id: peer.id }],
    });
    expect(joined.peers[0]).toMatchObject({
      id: peer.id,
      status: 'restricted',
      restricted_by_subscriber: true,
    });
    const stolen = await call('POST', '/api/assignSubscriberPeers', {
      id: one.id,
      peers: [
        { configuration: a.name, id: peer.id },
        { configuration: a.name, id: two.peers[0].id },
      ],
    });
    expect([stolen.code, stolen.body.subject]).toEqual([409, 'peers[1].id']);
    const left = await ok('POST', '/api/unassignSubscriberPeers', {
      id: one.id,
      peers: [{ configuration: a.name, id: peer.id }],
    });
    expect(left.peers).toEqual([]);
    expect(await peerRow(await peerIdOf(peer.id))).toMatchObject({
      status: 'active',
      subscriber_id: null,
    });
    // updatePeerSettings moves a peer too, and refuses an unknown subscriber before writing.
    const bad = await call('POST', `/api/updatePeerSettings/${a.name}`, {
      id: peer.id,
      name: 'renamed',
      subscriber_id: 999999,
    });
    expect([bad.code, bad.body.subject]).toEqual([404, 'subscriber_id']);
    expect((await peerRow(await peerIdOf(peer.id))).name).toBe('loose');
    const moved = await ok('POST', `/api/updatePeerSettings/${a.name}`, {
      id: peer.id,
      subscriber_id: one.id,
    });
    expect(moved).toMatchObject({ subscriber_id: one.id, status: 'restricted' });
    await ok('POST', '/api/deleteSubscriber', { id: one.id, delete_peers: false });
    expect(await peerRow(await peerIdOf(peer.id))).toMatchObject({
      status: 'active',
      subscriber_id: null,
    });
    await ok('POST', '/api/deleteSubscriber', { id: two.id, delete_peers: true });
    const gone = await get()
      .database.db.selectFrom('peers')
      .select('id')
      .where('public_key', '=', two.peers[0].id)
      .execute();
    expect(gone).toEqual([]);
  });

  it('on hold until the first handshake, then expiry = that handshake + N days', async () => {
    const a = await seedConfiguration(get().database);
    const s = await ok('POST', '/api/addSubscriber', {
      name: 'Hal',
      on_hold_days: 30,
      peers: [{ configuration: a.name }],
    });
    expect(s).toMatchObject({ status: 'on_hold', expiry_date: null });
    const feed = ingest();
    get().clock.advance(3600_000);
    const handshake = Math.floor(get().clock.now().getTime() / 1000) - 7;
    await feed({ id: a.id, nodeId: a.nodeId }, [
      { key: s.peers[0].id, rx: 300, tx: 200, handshake },
    ]);
    const on = await ok('GET', `/api/getSubscriber?id=${s.id}`);
    expect(on).toMatchObject({
      status: 'active',
      activated_at: new Date(handshake * 1000).toISOString(),
      expiry_date: new Date(handshake * 1000 + 30 * DAY).toISOString(),
    });
    expect(on.events.map((e: { type: string }) => e.type)).toContain('activated');
  });

  it('a first handshake in the very second the subscriber was made activates it', async () => {
    // WireGuard's handshake times are whole seconds; the subscriber's creation is not.
    const { clock } = get();
    clock.set(new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + 700));
    const a = await seedConfiguration(get().database);
    const s = await ok('POST', '/api/addSubscriber', {
      name: 'Same-second',
      on_hold_days: 10,
      peers: [{ configuration: a.name }],
    });
    const handshake = Math.floor(clock.now().getTime() / 1000);
    clock.advance(200);
    await ingest()({ id: a.id, nodeId: a.nodeId }, [
      { key: s.peers[0].id, rx: 300, tx: 200, handshake },
    ]);
    expect(await ok('GET', `/api/getSubscriber?id=${s.id}`)).toMatchObject({
      status: 'active',
      activated_at: new Date(handshake * 1000).toISOString(),
    });
  });

  it('lists a page, sorted and filtered by status', async () => {
    for (const n of ['list 2', 'list 10', 'list 1'])
      await ok('POST', '/api/addSubscriber', { name: n });
    const page = await ok('GET', '/api/getSubscribers?search=list&sort=name&pageSize=2');
    expect(page.total).toBe(3);
    expect(page.subscribers.map((x: { name: string }) => x.name)).toEqual(['list 1', 'list 2']);
    const byUsage = await ok('GET', '/api/getSubscribers?search=list&sort=usage&order=desc');
    expect(byUsage.subscribers).toHaveLength(3);
    const held = await ok('GET', '/api/getSubscribers?status=on_hold');
    expect(held.subscribers.every((x: { status: string }) => x.status === 'on_hold')).toBe(true);
  });
});
