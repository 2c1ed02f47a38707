// A subscriber's speed limits, throttle and granular quotas (issue 15) through the API on every
// dialect: peers on two configurations (nodes), the quotas over the sum of its peers, enforced by
// the ingest of whichever node's dump makes the sum cross; the desired state the sync sends each
// node carries the slower of a peer's own speed and its subscriber's. Nodes are unreachable here
// (the lab test has real ones).
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createFleetSyncRepo } from '../../src/panel/adapters/db/repos/fleet-sync-repo.js';
import type { ObservedConfiguration } from '../../src/panel/app/sync/ports.js';
import { createUsageArea } from '../../src/panel/areas/usage-area.js';
import type { DumpPeer } from '../../src/shared/wire/agent-api.js';
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

describe.each(DIALECTS_UNDER_TEST)(
  'subscriber speed limits and granular quotas on $name',
  (dialect) => {
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
    const peerRow = async (key: string) =>
      get()
        .database.db.selectFrom('peers')
        .selectAll()
        .where('public_key', '=', key)
        .executeTakeFirstOrThrow();
    const subscriberRow = (id: number) =>
      get()
        .database.db.selectFrom('subscribers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const eventTypes = async (id: number) =>
      (
        await get()
          .database.db.selectFrom('subscriber_events')
          .select('type')
          .where('subscriber_id', '=', id)
          .orderBy('id')
          .execute()
      ).map((e) => e.type);
    /** What the sync would send the node of this configuration for this peer. */
    const desired = async (configurationId: number, key: string) =>
      (
        await createFleetSyncRepo(get().database, get().clock.now).desiredPeers(configurationId)
      ).find((d) => d.publicKey === key);

    /** The ingest of another "panel process" on the same database, fed synthetic dumps. */
    function ingest() {
      const { ctx, clock } = get();
      const area = createUsageArea(
        { ...ctx, logger: pino({ level: 'silent' }), metrics: new Registry(), now: clock.now },
        { converge: async () => ({ applied: true }) },
      );
      const feed = (
        cfg: { id: number; nodeId: number },
        peers: { key: string; rx: number; tx: number }[],
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
              latest_handshake: Math.floor(clock.now().getTime() / 1000),
              transfer_rx: p.rx,
              transfer_tx: p.tx,
              persistent_keepalive: null,
            })),
          },
        };
        return area.ingest.onDump(observed);
      };
      return { feed, area };
    }

    async function twoNodeSubscriber(name: string, fields: object) {
      const a = await seedConfiguration(get().database);
      const b = await seedConfiguration(get().database);
      const s = await ok('POST', '/api/addSubscriber', {
        name,
        ...fields,
        peers: [{ configuration: a.name }, { configuration: b.name }],
      });
      const [pa, pb] = (s.peers as { id: string }[]).map((p) => p.id) as [string, string];
      return { s, a, b, pa, pb };
    }

    it('its speed applies to each peer on every node; over its quota with throttle all stay on at the throttle speed', async () => {
      const { s, a, b, pa, pb } = await twoNodeSubscriber('Tess', {
        download_bps: '20Mbit',
        upload_bps: '10Mbit',
        on_limit: 'throttle',
        throttle_download_bps: '1Mbit',
        throttle_upload_bps: 500_000,
        traffic_limit: '2MiB',
      });
      expect(s).toMatchObject({
        status: 'active',
        download_bps: 20_000_000,
        upload_bps: 10_000_000,
        on_limit: 'throttle',
        throttle_download_bps: 1_000_000,
        throttle_upload_bps: 500_000,
        throttled_at: null,
      });
      // A peer's own limit, slower than its subscriber's, wins; the other peer has the subscriber's.
      await ok('POST', `/api/updatePeerBandwidthLimit/${a.name}`, {
        id: pa,
        download_bps: '5Mbit',
      });
      expect(await desired(a.id, pa)).toMatchObject({
        downloadBps: 5_000_000,
        uploadBps: 10_000_000,
      });
      expect(await desired(b.id, pb)).toMatchObject({
        downloadBps: 20_000_000,
        uploadBps: 10_000_000,
      });

      const { feed } = ingest();
      await feed({ id: a.id, nodeId: a.nodeId }, [{ key: pa, rx: MiB, tx: 0 }]);
      expect((await subscriberRow(s.id)).throttled_at).toBeNull();
      // The second node's dump makes the sum 3 MiB: throttled in this very ingest, nobody cut.
      await feed({ id: b.id, nodeId: b.nodeId }, [{ key: pb, rx: MiB, tx: MiB }]);
      const throttled = await ok('GET', `/api/getSubscriber?id=${s.id}`);
      expect(throttled).toMatchObject({ status: 'throttled', throttled_at: expect.any(String) });
      for (const key of [pa, pb]) expect((await peerRow(key)).status).toBe('active');
      expect(await eventTypes(s.id)).toEqual(['warning', 'exceeded', 'throttled']);
      const messages = (throttled.events as { type: string; message: string }[]).map(
        (e) => e.message,
      );
      expect(messages).toContain(
        `Subscriber Tess exceeded traffic limit. Usage: ${3 * MiB} / ${2 * MiB} bytes`,
      );
      // Both nodes are told to shape its peers to the throttle speeds.
      for (const [cfg, key] of [
        [a.id, pa],
        [b.id, pb],
      ] as const)
        expect(await desired(cfg, key)).toMatchObject({
          status: 'active',
          downloadBps: 1_000_000,
          uploadBps: 500_000,
        });
      const list = await ok('GET', '/api/getSubscribers?search=tess');
      expect(list.subscribers[0].status).toBe('throttled');
      const ids = async (status: string) =>
        ((await ok('GET', `/api/getSubscribers?status=${status}`)).subscribers as { id: number }[])
          .map((x) => x.id)
          .filter((id) => id === s.id);
      expect(await ids('throttled')).toEqual([s.id]);
      expect(await ids('active')).toEqual([]);
      // Its own page says it is slowed down, as JSON and in words.
      const url = `/sub/${s.token as string}`;
      const page = (accept: string) =>
        get().panel.app.inject({ url, headers: { accept, 'accept-language': 'en' } });
      expect((await page('application/json')).json().status).toBe('throttled');
      expect((await page('text/html')).body).toContain('Slowed down: your data is used up.');

      // A reset lifts it: full speed again (each peer its own or its subscriber's).
      const reset = await ok('POST', '/api/resetSubscriberData', { id: s.id });
      expect(reset).toMatchObject({ status: 'active', throttled_at: null });
      expect(await eventTypes(s.id)).toEqual([
        'warning',
        'exceeded',
        'throttled',
        'reset',
        'unthrottled',
      ]);
      expect(await desired(a.id, pa)).toMatchObject({ downloadBps: 5_000_000 });
      expect(await desired(b.id, pb)).toMatchObject({ downloadBps: 20_000_000 });

      // Speeds cleared: its peers are not shaped by it any more.
      await ok('POST', '/api/updateSubscriber', { id: s.id, download_bps: null, upload_bps: '' });
      expect(await desired(b.id, pb)).toMatchObject({ downloadBps: null, uploadBps: null });
    });

    it('download and upload limits count the sum of its peers in one direction; restrict by default', async () => {
      const { s, a, b, pa, pb } = await twoNodeSubscriber('Uma', {
        download_limit: '4MiB',
        upload_limit: '100MiB',
      });
      const { feed } = ingest();
      // Download = what the nodes sent (tx): 2 + 1.5 MiB = 3.5 of 4 MiB, past the 80 % warning.
      await feed({ id: a.id, nodeId: a.nodeId }, [{ key: pa, rx: 10 * MiB, tx: 2 * MiB }]);
      await feed({ id: b.id, nodeId: b.nodeId }, [{ key: pb, rx: 10 * MiB, tx: 1.5 * MiB }]);
      expect(await eventTypes(s.id)).toEqual(['warning']);
      expect((await subscriberRow(s.id)).download_warned).toBe(true);
      await feed({ id: b.id, nodeId: b.nodeId }, [{ key: pb, rx: 10 * MiB, tx: 2 * MiB }]);
      const cut = await ok('GET', `/api/getSubscriber?id=${s.id}`);
      expect(cut).toMatchObject({ status: 'restricted', restriction_reason: 'traffic_limit' });
      for (const key of [pa, pb])
        expect(await peerRow(key)).toMatchObject({
          status: 'restricted',
          restricted_by_subscriber: true,
        });
      expect(await eventTypes(s.id)).toEqual(['warning', 'exceeded', 'restricted']);
      const exceeded = (cut.events as { type: string; message: string; data: object }[]).find(
        (e) => e.type === 'exceeded',
      );
      expect(exceeded?.message).toBe(
        `Subscriber Uma exceeded download limit. Usage: ${4 * MiB} / ${4 * MiB} bytes`,
      );
      expect(exceeded?.data).toMatchObject({ quota: 'download' });

      // Cleared through the bulk update: restored on every node.
      await ok('POST', '/api/updateSubscribers', { ids: [s.id], download_limit: null });
      for (const key of [pa, pb]) expect((await peerRow(key)).status).toBe('active');
      expect((await subscriberRow(s.id)).upload_limit).toBe(BigInt(100 * MiB));
    });

    it('daily_limit over its peers: crossing cuts, the next midnight of the panel restores', async () => {
      const { clock } = get();
      clock.set('2026-11-27T12:00:00Z');
      const { s, a, b, pa, pb } = await twoNodeSubscriber('Vera', { daily_limit: '3MiB' });
      expect((await subscriberRow(s.id)).day_started_at?.toISOString()).toBe(
        '2026-11-27T00:00:00.000Z',
      );
      const { feed, area } = ingest();
      await feed({ id: a.id, nodeId: a.nodeId }, [{ key: pa, rx: MiB, tx: MiB }]);
      expect((await ok('GET', `/api/getSubscriber?id=${s.id}`)).day_usage).toBe(2 * MiB);
      clock.advance(10_000);
      await feed({ id: b.id, nodeId: b.nodeId }, [{ key: pb, rx: MiB, tx: 0 }]);
      expect((await subscriberRow(s.id)).status).toBe('restricted');
      for (const key of [pa, pb]) expect((await peerRow(key)).status).toBe('restricted');

      clock.set('2026-11-27T23:59:59Z');
      await area.policy.tick();
      expect((await subscriberRow(s.id)).status).toBe('restricted');
      clock.set('2026-11-28T00:00:01Z');
      await area.policy.tick();
      const back = await ok('GET', `/api/getSubscriber?id=${s.id}`);
      expect(back).toMatchObject({ status: 'active', day_usage: 0 });
      for (const key of [pa, pb]) expect((await peerRow(key)).status).toBe('active');
      expect(await eventTypes(s.id)).toEqual(['warning', 'exceeded', 'restricted', 'restored']);
      // The period's usage is not touched by the day.
      expect(back.usage.total).toBe(3 * MiB);
      // The new day counts from zero: 1 MiB more (a restored peer's counters start again).
      await feed({ id: a.id, nodeId: a.nodeId }, [{ key: pa, rx: 0.5 * MiB, tx: 0.5 * MiB }]);
      expect(await ok('GET', `/api/getSubscriber?id=${s.id}`)).toMatchObject({
        status: 'active',
        day_usage: MiB,
      });
    });

    it('refuses bad values naming the field, and writes nothing', async () => {
      const { s } = await twoNodeSubscriber('Wren', {});
      const before = await subscriberRow(s.id);
      for (const [body, field] of [
        [{ on_limit: 'slow' }, 'on_limit'],
        [{ on_limit: 'throttle' }, 'throttle_download_bps'],
        [{ on_limit: 'throttle', throttle_upload_bps: 'fast' }, 'throttle_upload_bps'],
        [{ download_bps: 'quick' }, 'download_bps'],
        [{ daily_limit: -1 }, 'daily_limit'],
        [{ upload_limit: 'lots' }, 'upload_limit'],
      ] as const) {
        const res = await call('POST', '/api/updateSubscriber', { id: s.id, ...body });
        expect(res.code, JSON.stringify(res.body)).toBe(400);
        expect(res.body.message).toMatch(new RegExp(`^${field}: `));
        const bulk = await call('POST', '/api/updateSubscribers', { ids: [s.id], ...body });
        expect(bulk.code, JSON.stringify(bulk.body)).toBe(400);
        expect(bulk.body.message).toMatch(new RegExp(`^${field}: `));
      }
      const created = await call('POST', '/api/addSubscriber', {
        name: 'Xena',
        on_limit: 'throttle',
      });
      expect(created.code).toBe(400);
      expect(created.body.message).toMatch(/^throttle_download_bps: /);
      expect(
        await get()
          .database.db.selectFrom('subscribers')
          .select('id')
          .where('name', '=', 'Xena')
          .execute(),
      ).toEqual([]);
      expect(await subscriberRow(s.id)).toEqual(before);
    });
  },
);
