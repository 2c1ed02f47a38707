import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ObservedConfiguration } from '../../src/panel/app/sync/ports.js';
import { createFleetSyncRepo } from '../../src/panel/adapters/db/repos/fleet-sync-repo.js';
import { createUsageArea } from '../../src/panel/areas/usage-area.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { createUsageConfiguration, createUsagePeer, peerRow } from './support/usage-fixtures.js';

const CREATED = { last_raw_rx: 0n, last_raw_tx: 0n };
const MiB = 1024 * 1024;

describe.each(DIALECTS_UNDER_TEST)('throttle and granular quotas on $name', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: unknown) =>
    get().panel.app.inject({
      method: 'POST',
      url,
      headers: get().headers,
      payload: payload as object,
    });

  function newUsage() {
    const { ctx, clock } = get();
    return createUsageArea(
      { ...ctx, logger: pino({ level: 'silent' }), metrics: new Registry(), now: clock.now },
      { converge: async () => ({ applied: true }) },
    );
  }

  /** A dump of one peer's raw counters (node's view: rx = from the peer, tx = to it). */
  function dump(
    cfg: { nodeId: number; configurationId: number },
    key: string,
    rx: number,
    tx: number,
  ): ObservedConfiguration {
    return {
      nodeId: cfg.nodeId,
      configurationId: cfg.configurationId,
      observedAt: get().clock.now(),
      dump: {
        interface: { name: 'wg0', public_key: null, listen_port: 51820, fwmark: null },
        peers: [
          {
            public_key: key,
            endpoint: null,
            allowed_ips: [],
            latest_handshake: null,
            transfer_rx: rx,
            transfer_tx: tx,
            persistent_keepalive: null,
          },
        ],
      },
    };
  }

  const eventTypes = async (peerId: number) =>
    (
      await get()
        .database.db.selectFrom('peer_events')
        .select('type')
        .where('peer_id', '=', peerId)
        .orderBy('id')
        .execute()
    ).map((e) => e.type);

  const shown = async (cfg: string, key: string) => {
    const res = await get().panel.app.inject({
      method: 'GET',
      url: `/api/getWireguardConfigurationInfo?configurationName=${cfg}`,
      headers: get().headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data as {
      configurationPeers: { id: string }[];
      configurationRestrictedPeers: { id: string }[];
    };
    return [...d.configurationPeers, ...(d.configurationRestrictedPeers ?? [])].find(
      (p) => p.id === key,
    ) as Record<string, unknown>;
  };

  it('over its limit with on_limit throttle the peer stays on at the throttle speed; a reset brings full speed', async () => {
    const { database } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, CREATED);
    const bw = await post(`/api/updatePeerBandwidthLimit/${cfg.name}`, {
      id: p.key,
      download_bps: '20Mbit',
      on_limit: 'throttle',
      throttle_download_bps: '1Mbit',
      throttle_upload_bps: 500_000,
    });
    expect(bw.statusCode, bw.body).toBe(200);
    expect(bw.json().data).toMatchObject({
      on_limit: 'throttle',
      throttle_download_bps: 1_000_000,
      throttle_upload_bps: 500_000,
      status: 'active',
    });
    await post(`/api/updatePeerTrafficLimit/${cfg.name}`, { id: p.key, traffic_limit: 10 * MiB });

    await area.ingest.onDump(dump(cfg, p.key, 4 * MiB, 7 * MiB));
    const row = await peerRow(database, p.id);
    expect(row.status).toBe('active');
    expect(row.throttled_at).not.toBeNull();
    expect(await eventTypes(p.id)).toEqual(['warning', 'exceeded', 'throttled']);
    expect(await shown(cfg.name, p.key)).toMatchObject({
      status: 'throttled',
      throttled_at: expect.any(String),
    });

    // The node is told to shape it to the throttle speed (the slower of limit and throttle).
    const desired = await createFleetSyncRepo(database, get().clock.now).desiredPeers(
      cfg.configurationId,
    );
    expect(desired.find((d) => d.publicKey === p.key)).toMatchObject({
      downloadBps: 1_000_000,
      uploadBps: 500_000,
    });

    const reset = await post(`/api/resetPeerData/${cfg.name}`, { id: p.key });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().data).toMatchObject({ status: 'active', throttled: false });
    expect((await peerRow(database, p.id)).throttled_at).toBeNull();
    expect(await eventTypes(p.id)).toEqual([
      'warning',
      'exceeded',
      'throttled',
      'reset',
      'unthrottled',
    ]);
  });

  it('download and upload limits count one direction each; warnings once at the threshold', async () => {
    const { database } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, CREATED);
    const down = await post(`/api/updatePeerDownloadLimit/${cfg.name}`, {
      id: p.key,
      download_limit: '10MiB',
    });
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toMatchObject({
      message: 'Download limit updated',
      data: { download_limit: 10 * MiB },
    });
    const up = await post(`/api/updatePeerUploadLimit/${cfg.name}`, {
      id: p.key,
      upload_limit: 100 * MiB,
    });
    expect(up.json().data).toMatchObject({ upload_limit: 100 * MiB });

    // 50 MiB received by the node (the peer's upload), 9 MiB sent (its download): download at 90 %.
    await area.ingest.onDump(dump(cfg, p.key, 50 * MiB, 9 * MiB));
    expect(await eventTypes(p.id)).toEqual(['warning']);
    await area.ingest.onDump(dump(cfg, p.key, 51 * MiB, 9 * MiB + 10));
    expect(await eventTypes(p.id)).toEqual(['warning']);
    await area.ingest.onDump(dump(cfg, p.key, 51 * MiB, 10 * MiB));
    const row = await peerRow(database, p.id);
    expect([row.status, row.restriction_reason]).toEqual(['restricted', 'traffic_limit']);
    expect(await eventTypes(p.id)).toEqual(['warning', 'exceeded', 'restricted']);
    const exceeded = await database.db
      .selectFrom('peer_events')
      .select(['message', 'data'])
      .where('peer_id', '=', p.id)
      .where('type', '=', 'exceeded')
      .executeTakeFirstOrThrow();
    expect(exceeded.message).toMatch(
      /exceeded download limit\. Usage: 10485760 \/ 10485760 bytes$/,
    );
    expect(JSON.parse(exceeded.data as string)).toMatchObject({ quota: 'download' });

    // Raised: restored. Cleared with "": stays so.
    await post(`/api/updatePeerDownloadLimit/${cfg.name}`, { id: p.key, download_limit: '' });
    expect((await peerRow(database, p.id)).status).toBe('active');
  });

  it('daily_limit: crossing cuts, the day boundary (the clock moved to midnight) restores', async () => {
    const { database, clock } = get();
    clock.set('2026-11-27T12:00:00Z');
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, CREATED);
    const set = await post(`/api/updatePeerDailyLimit/${cfg.name}`, {
      id: p.key,
      daily_limit: 5 * MiB,
    });
    expect(set.json().data).toMatchObject({
      daily_limit: 5 * MiB,
      day_started_at: '2026-11-27T00:00:00.000Z',
      next_day_at: '2026-11-28T00:00:00.000Z',
    });
    await area.ingest.onDump(dump(cfg, p.key, 2 * MiB, 2 * MiB));
    expect((await peerRow(database, p.id)).status).toBe('active');
    clock.advance(10_000);
    await area.ingest.onDump(dump(cfg, p.key, 3 * MiB, 2 * MiB));
    let row = await peerRow(database, p.id);
    expect([row.status, row.day_rx + row.day_tx]).toEqual(['restricted', BigInt(5 * MiB)]);

    // Later that day: still cut off.
    clock.set('2026-11-27T23:59:59Z');
    await area.policy.tick();
    expect((await peerRow(database, p.id)).status).toBe('restricted');
    // Midnight: the day's usage starts from zero, the peer is back.
    clock.set('2026-11-28T00:00:01Z');
    await area.policy.tick();
    row = await peerRow(database, p.id);
    expect([row.status, row.day_rx + row.day_tx]).toEqual(['active', 0n]);
    expect(row.day_started_at?.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(await eventTypes(p.id)).toEqual(['warning', 'exceeded', 'restricted', 'restored']);
    // The period's usage is not touched by the day.
    expect(row.period_rx + row.period_tx).toBe(BigInt(5 * MiB));
  });

  it('refuses bad values naming the field, and writes nothing', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const bw = `/api/updatePeerBandwidthLimit/${cfg.name}`;
    for (const [body, field] of [
      [{ on_limit: 'slow' }, 'on_limit'],
      [{ on_limit: 'throttle' }, 'throttle_download_bps'],
      [{ on_limit: 'throttle', throttle_upload_bps: 'fast' }, 'throttle_upload_bps'],
    ] as const) {
      const res = await post(bw, { id: p.key, ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`^${field}: `));
    }
    for (const [path, field] of [
      ['updatePeerDownloadLimit', 'download_limit'],
      ['updatePeerUploadLimit', 'upload_limit'],
      ['updatePeerDailyLimit', 'daily_limit'],
    ] as const) {
      const bad = await post(`/api/${path}/${cfg.name}`, { id: p.key, [field]: -1 });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().message).toMatch(new RegExp(`^${field}: `));
      const missing = await post(`/api/${path}/${cfg.name}`, { id: p.key });
      expect(missing.json().message).toMatch(new RegExp(`^${field}: is required`));
    }
    const row = await peerRow(database, p.id);
    expect([row.on_limit, row.download_limit, row.upload_limit, row.daily_limit]).toEqual([
      'restrict',
      null,
      null,
      null,
    ]);
  });

  it('sets the quotas of many peers at once (bulk), and through updatePeerSettings', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const a = await createUsagePeer(database, cfg.configurationId);
    const b = await createUsagePeer(database, cfg.configurationId);
    const res = await post(`/api/updatePeerDailyLimit/${cfg.name}`, {
      peers: [a.key, b.key],
      daily_limit: '1GiB',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json().data as unknown[]).length).toBe(2);
    for (const id of [a.id, b.id])
      expect((await peerRow(database, id)).daily_limit).toBe(1024n ** 3n);
    const settings = await post(`/api/updatePeerSettings/${cfg.name}`, {
      id: a.key,
      upload_limit: '2GiB',
      on_limit: 'throttle',
      throttle_download_bps: '2Mbit',
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const row = await peerRow(database, a.id);
    expect([row.upload_limit, row.on_limit, row.throttle_download_bps]).toEqual([
      2n * 1024n ** 3n,
      'throttle',
      2_000_000n,
    ]);
  });
});
