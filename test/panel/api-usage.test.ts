import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { fakeKey } from '../db/support/fixtures.js';
import { createUsageConfiguration, createUsagePeer, peerRow } from './support/usage-fixtures.js';
import { createSettingsStore } from '../../src/panel/adapters/db/repos/panel-settings-store.js';
import {
  PanelSettingsService,
  panelSettingsDefaults,
} from '../../src/panel/app/settings/panel-settings.js';

describe.each(DIALECTS_UNDER_TEST)('usage API on $name', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: unknown, headers = get().headers) =>
    get().panel.app.inject({ method: 'POST', url, headers, payload: payload as object });

  it('refuses the usage endpoints without credentials', async () => {
    const { panel } = get();
    for (const [method, url] of [
      ['POST', '/api/updatePeerTrafficLimit/x'],
      ['POST', '/api/updatePeerExpiryDate/x'],
      ['POST', '/api/updatePeerTrafficWarningThreshold/x'],
      ['POST', '/api/resetPeerData/x'],
      ['GET', '/api/getPeerEvents'],
      ['GET', '/api/getPeerTraffics?configurationName=x&id=y'],
      ['GET', '/api/getConfigurationTraffics'],
      ['GET', '/api/exportUsageCsv?configurationName=x'],
      ['GET', '/api/getPanelSettings'],
      ['GET', '/metrics'],
    ] as const) {
      const res = await panel.app.inject({
        method,
        url,
        payload: method === 'POST' ? {} : undefined,
      });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ status: false, data: null });
    }
  });

  it('sets, parses and clears traffic limits with the seed body; bad input writes nothing', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerTrafficLimit/${cfg.name}`;

    const set = await post(url, { id: p.key, traffic_limit: 10737418240 });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      status: true,
      data: {
        id: p.key,
        traffic_limit: 10737418240,
        usage_total: 0,
        traffic_limit_exceeded: false,
      },
    });
    expect((await peerRow(database, p.id)).traffic_limit).toBe(10737418240n);

    expect((await post(url, { id: p.key, traffic_limit: '500MB' })).json().data.traffic_limit).toBe(
      500_000_000,
    );
    expect((await post(url, { id: p.key, traffic_limit: '10GiB' })).json().data.traffic_limit).toBe(
      10 * 1024 ** 3,
    );

    for (const bad of [-1, 1.5, '10XB', 'lots', 2 ** 53, true, {}]) {
      const res = await post(url, { id: p.key, traffic_limit: bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().message).toMatch(/^traffic_limit: /);
    }
    expect((await peerRow(database, p.id)).traffic_limit).toBe(10n * 1024n ** 3n);
    const missing = await post(url, { id: p.key });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('traffic_limit');
    expect((await post(url, { traffic_limit: 1 })).json().message).toMatch(/^id: /);
    expect((await post(url, { id: p.key, traffic_limit: 1, extra: 1 })).statusCode).toBe(400);

    const unknownCfg = await post('/api/updatePeerTrafficLimit/nope', {
      id: p.key,
      traffic_limit: 1,
    });
    expect(unknownCfg.statusCode).toBe(404);
    const unknownPeer = await post(url, { id: 'not-a-peer', traffic_limit: 1 });
    expect(unknownPeer.statusCode).toBe(404);
    expect(unknownPeer.json()).toEqual({
      status: false,
      message: expect.stringContaining('not-a-peer'),
      data: null,
    });

    const cleared = await post(url, { id: p.key, traffic_limit: null });
    expect(cleared.json().data.traffic_limit).toBeNull();
    expect((await peerRow(database, p.id)).traffic_limit).toBeNull();
  });

  it('restricts at once when a limit is set below usage, restores when it is raised', async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      name: "John's Phone",
      period_rx: 1500n,
      period_tx: 600n,
      last_raw_rx: 1500n,
      last_raw_tx: 600n,
    });
    const url = `/api/updatePeerTrafficLimit/${cfg.name}`;
    const cut = await post(url, { id: p.key, traffic_limit: 2000 });
    expect(cut.json().data).toMatchObject({
      status: 'restricted',
      restriction_reason: 'traffic_limit',
      traffic_limit_exceeded: true,
      usage_percentage: 105,
    });
    const row = await peerRow(database, p.id);
    expect(row.restricted_at).toBeInstanceOf(Date);

    const restored = await post(url, { id: p.key, traffic_limit: '1MiB' });
    expect(restored.json().data).toMatchObject({ status: 'active', restriction_reason: null });
    const after = await peerRow(database, p.id);
    expect([after.last_raw_rx, after.last_raw_tx, after.period_rx]).toEqual([0n, 0n, 1500n]);

    const events = await panel.app.inject({
      url: `/api/getPeerEvents?configurationName=${cfg.name}&id=${encodeURIComponent(p.key)}`,
      headers,
    });
    const list = events.json().data.events as { type: string; message: string; data: object }[];
    // A limit set below the usage crosses the threshold and the limit at once: both events.
    expect(list.map((e) => e.type)).toEqual(['restored', 'restricted', 'exceeded', 'warning']);
    expect(list[2]?.message).toBe(
      `Peer John's Phone (${p.key.slice(0, 6)}...) exceeded traffic limit. Usage: 2100 / 2000 bytes`,
    );
    expect(list[2]?.data).toEqual({ usage: '2100', limit: '2000' });
  });

  it('sets and clears expiry dates (no offset = UTC) and restricts an expired peer', async () => {
    const { database, clock } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerExpiryDate/${cfg.name}`;
    const future = await post(url, { id: p.key, expiry_date: '2026-12-31T23:59:59' });
    expect(future.json().data).toMatchObject({
      expiry_date: '2026-12-31T23:59:59.000Z',
      expired: false,
      status: 'active',
    });
    const soon = await post(url, { id: p.key, expiry_date: '2026-11-30 12:00:00+00:00' });
    expect(soon.json().data.days_until_expiry).toBe(3);
    expect((await peerRow(database, p.id)).expiry_warned_for).toEqual(
      new Date('2026-11-30T12:00:00Z'),
    );
    await post(url, { id: p.key, expiry_date: '2026-11-30T12:00:00Z' }); // the same date again
    const warned = await get().panel.app.inject({
      url: `/api/getPeerEvents?configurationName=${cfg.name}&type=expiring_soon`,
      headers: get().headers,
    });
    expect(warned.json().data.total).toBe(1);
    const past = await post(url, {
      id: p.key,
      expiry_date: new Date(clock.now().getTime() - 1000).toISOString(),
    });
    expect(past.json().data).toMatchObject({ status: 'restricted', restriction_reason: 'expired' });
    for (const bad of ['2026-02-30', 'tomorrow', 5, true]) {
      const res = await post(url, { id: p.key, expiry_date: bad });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json().message).toMatch(/^expiry_date: /);
    }
    const cleared = await post(url, { id: p.key, expiry_date: null });
    expect(cleared.json().data).toMatchObject({ status: 'active', expiry_date: null });
    expect((await peerRow(database, p.id)).expiry_warned_for).toBeNull();
  });

  it('sets the warning threshold 1–100 and refuses anything else', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerTrafficWarningThreshold/${cfg.name}`;
    expect((await post(url, { id: p.key, threshold: 90 })).json().data.traffic_warn_threshold).toBe(
      90,
    );
    for (const bad of [0, 101, 50.5, '80', null]) {
      const res = await post(url, { id: p.key, threshold: bad });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(res.json().message).toMatch(/^threshold: /);
    }
    expect((await peerRow(database, p.id)).traffic_warn_threshold).toBe(90);
  });

  it('updates many peers at once with peers: [...], all or nothing', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const a = await createUsagePeer(database, cfg.configurationId);
    const b = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerTrafficLimit/${cfg.name}`;
    const res = await post(url, { peers: [a.key, b.key], traffic_limit: '1GB' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((d: { traffic_limit: number }) => d.traffic_limit)).toEqual([
      1e9, 1e9,
    ]);
    const partial = await post(url, { peers: [a.key, 'unknown-key'], traffic_limit: 5 });
    expect(partial.statusCode).toBe(404);
    expect((await peerRow(database, a.id)).traffic_limit).toBe(1_000_000_000n);
    expect((await post(url, { id: a.key, peers: [b.key], traffic_limit: 5 })).statusCode).toBe(400);
    expect((await post(url, { peers: [], traffic_limit: 5 })).statusCode).toBe(400);
    const threshold = await post(`/api/updatePeerTrafficWarningThreshold/${cfg.name}`, {
      peers: [a.key, b.key],
      threshold: 70,
    });
    expect(threshold.json().data).toHaveLength(2);
  });

  it('sets reset schedules with anchors the database accepts', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerResetSchedule/${cfg.name}`;
    const monthly = await post(url, { id: p.key, reset_schedule: 'monthly', reset_anchor: 15 });
    expect(monthly.json().data).toMatchObject({
      reset_schedule: 'monthly',
      reset_anchor: 15,
      next_reset_at: '2026-12-15T00:00:00.000Z',
    });
    for (const [schedule, anchor, field] of [
      ['weekly', 8, 'reset_anchor'],
      ['monthly', 0, 'reset_anchor'],
      ['daily', 3, 'reset_anchor'],
      ['yearly', null, 'reset_schedule'],
    ] as const) {
      const res = await post(url, { id: p.key, reset_schedule: schedule, reset_anchor: anchor });
      expect(res.statusCode, `${schedule} ${anchor}`).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`^${field}: `));
    }
    expect((await peerRow(database, p.id)).reset_anchor).toBe(15);
    const none = await post(url, { id: p.key, reset_schedule: 'none' });
    expect(none.json().data).toMatchObject({ reset_schedule: 'none', next_reset_at: null });
  });

  it("resets a peer's data (WGDashboard's resetPeerData) and restores a quota-restricted peer", async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      period_rx: 700n,
      period_tx: 500n,
      traffic_limit: 1000n,
      status: 'restricted',
      restriction_reason: 'traffic_limit',
    });
    const rx = await post(`/api/resetPeerData/${cfg.name}`, { id: p.key, type: 'receive' });
    expect(rx.json().data).toMatchObject({ period_rx: 0, period_tx: 500, status: 'active' });
    const total = await post(`/api/resetPeerData/${cfg.name}`, { id: p.key });
    expect(total.json()).toMatchObject({ status: true, data: { usage_total: 0 } });
    expect(
      (await post(`/api/resetPeerData/${cfg.name}`, { id: p.key, type: 'all' })).statusCode,
    ).toBe(400);
    expect((await post('/api/resetPeerData/nope', { id: p.key })).statusCode).toBe(404);
    const events = await panel.app.inject({
      url: `/api/getPeerEvents?configurationName=${cfg.name}&type=reset,restored`,
      headers,
    });
    expect(events.json().data.events.map((e: { type: string }) => e.type)).toEqual([
      'reset',
      'restored',
      'reset',
    ]);
  });

  it('filters and pages events, and refuses bad filters', async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    const peers = await Promise.all(
      [1, 2, 3].map(() => createUsagePeer(database, cfg.configurationId, { period_rx: 10n })),
    );
    await post(`/api/updatePeerTrafficLimit/${cfg.name}`, {
      peers: peers.map((p) => p.key),
      traffic_limit: 5,
    });
    const q = (s: string) => panel.app.inject({ url: `/api/getPeerEvents?${s}`, headers });
    const all = (await q(`configurationName=${cfg.name}`)).json().data;
    expect(all.total).toBe(9); // warning, exceeded, restricted for each
    const page = (await q(`configurationName=${cfg.name}&type=restricted&limit=2&offset=1`)).json()
      .data;
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.events).toHaveLength(2);
    expect(page.events[0]).toMatchObject({ type: 'restricted', configuration: cfg.name });
    const later = (await q(`configurationName=${cfg.name}&from=2030-01-01`)).json().data;
    expect(later.total).toBe(0);
    const before = (await q(`configurationName=${cfg.name}&to=2030-01-01T00:00:00Z`)).json().data;
    expect(before.total).toBe(9);
    expect((await q('type=nonsense')).statusCode).toBe(400);
    expect((await q('from=yesterday')).json().message).toMatch(/^from: /);
    expect((await q('id=abc')).json().message).toMatch(/^configurationName: /);
    expect((await q('configurationName=nope')).statusCode).toBe(404);
    expect((await q('limit=0')).statusCode).toBe(400);
  });

  it('reads and updates the panel settings, checking the time zone', async () => {
    const { panel, headers } = get();
    const read = await panel.app.inject({ url: '/api/getPanelSettings', headers });
    expect(read.json().data).toEqual({
      timezone: 'UTC',
      expiry_warning_days: 7,
      usage_minute_retention_hours: 48,
      usage_hour_retention_days: 90,
      usage_day_retention_days: null,
      // The start flags' values (the test panel starts with --poll-interval 1).
      poll_interval_seconds: 1,
      enforcement_interval_seconds: 30,
    });
    const upd = await post('/api/updatePanelSettings', {
      timezone: 'Europe/Berlin',
      expiry_warning_days: 3,
    });
    expect(upd.json().data).toMatchObject({ timezone: 'Europe/Berlin', expiry_warning_days: 3 });
    for (const [body, field] of [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ expiry_warning_days: -1 }, 'expiry_warning_days'],
      [{ usage_minute_retention_hours: 0 }, 'usage_minute_retention_hours'],
      [{ poll_interval_seconds: 0 }, 'poll_interval_seconds'],
      [{ poll_interval_seconds: 3601 }, 'poll_interval_seconds'],
      [{ poll_interval_seconds: 0.5 }, 'poll_interval_seconds'],
      [{ poll_interval_seconds: null }, 'poll_interval_seconds'],
      [{ enforcement_interval_seconds: 4 }, 'enforcement_interval_seconds'],
      [{ enforcement_interval_seconds: '60' }, 'enforcement_interval_seconds'],
      [{ bogus: 1 }, 'bogus'],
    ] as const) {
      const res = await post('/api/updatePanelSettings', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toContain(field);
    }
    const again = await panel.app.inject({ url: '/api/getPanelSettings', headers });
    expect(again.json().data).toMatchObject({ timezone: 'Europe/Berlin', expiry_warning_days: 3 });
    // A null in a JSON body stays null (no coercion to 0): "keep day samples forever".
    const days = await post('/api/updatePanelSettings', { usage_day_retention_days: 400 });
    expect(days.json().data.usage_day_retention_days).toBe(400);
    const forever = await post('/api/updatePanelSettings', { usage_day_retention_days: null });
    expect(forever.statusCode, forever.body).toBe(200);
    expect(forever.json().data.usage_day_retention_days).toBeNull();
    await post('/api/updatePanelSettings', { timezone: 'UTC', expiry_warning_days: 7 });
  });

  it('keeps saved poll and enforcement intervals over the start flags, in the settings table', async () => {
    const { panel, headers, database } = get();
    const half = await post('/api/updatePanelSettings', { poll_interval_seconds: 2.5 });
    expect(half.json().data.poll_interval_seconds).toBe(2.5); // fractions, as the flag takes
    const upd = await post('/api/updatePanelSettings', {
      poll_interval_seconds: 15,
      enforcement_interval_seconds: 120,
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().data).toMatchObject({
      poll_interval_seconds: 15,
      enforcement_interval_seconds: 120,
    });
    const read = await panel.app.inject({ url: '/api/getPanelSettings', headers });
    expect(read.json().data).toMatchObject({
      poll_interval_seconds: 15,
      enforcement_interval_seconds: 120,
    });
    const stored = await database.db
      .selectFrom('settings')
      .select(['key', 'value'])
      .where('key', 'in', ['poll_interval_seconds', 'enforcement_interval_seconds'])
      .orderBy('key')
      .execute();
    expect(stored).toEqual([
      { key: 'enforcement_interval_seconds', value: '120' },
      { key: 'poll_interval_seconds', value: '15' },
    ]);
    // A panel started later with other flags: the saved values still win; a value out of range
    // (written by hand) falls back to the flag's.
    await database.db
      .updateTable('settings')
      .set({ value: '0' })
      .where('key', '=', 'enforcement_interval_seconds')
      .execute();
    const restarted = new PanelSettingsService(
      createSettingsStore(database),
      panelSettingsDefaults({ pollIntervalMs: 5000, enforcementIntervalMs: 45_000 }),
    );
    expect(restarted.current()).toMatchObject({ poll_interval_seconds: 5 });
    expect(await restarted.get()).toMatchObject({
      poll_interval_seconds: 15,
      enforcement_interval_seconds: 45,
    });
    await post('/api/updatePanelSettings', {
      poll_interval_seconds: 1,
      enforcement_interval_seconds: 30,
    });
  });

  it('serves traffic series per minute, hour and day, and a CSV per peer', async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    // Keys chosen, not random: a base64 key starts with '+' one time in 64, and the CSV defuses
    // it like any field a spreadsheet would run as a formula (this made the test flaky).
    const p = await createUsagePeer(database, cfg.configurationId, {
      name: '=cmd|"x",y',
      public_key: `+${fakeKey().slice(1)}`,
    });
    const q = await createUsagePeer(database, cfg.configurationId, {
      name: 'plain',
      public_key: `A${fakeKey().slice(1)}`,
    });
    const minute = (iso: string, rx: bigint, tx: bigint, peer = p.id) => ({
      peer_id: peer,
      bucket_start: new Date(iso),
      rx,
      tx,
    });
    await database.db
      .insertInto('peer_usage_minute')
      .values([
        minute('2026-11-26T10:00:00Z', 100n, 10n),
        minute('2026-11-26T10:01:00Z', 200n, 20n),
        minute('2026-11-26T11:30:00Z', 300n, 30n),
        minute('2026-11-27T11:59:00Z', 5n, 5n, q.id),
      ])
      .execute();
    const traffic = (s: string) =>
      panel.app.inject({
        url: `/api/getPeerTraffics?configurationName=${cfg.name}&id=${encodeURIComponent(p.key)}&${s}`,
        headers,
      });
    const m = (
      await traffic('interval=minute&from=2026-11-26T10:00:00&to=2026-11-26T11:00:00')
    ).json();
    expect(m.data.series).toEqual([
      { time: '2026-11-26T10:00:00.000Z', rx: 100, tx: 10, total: 110 },
      { time: '2026-11-26T10:01:00.000Z', rx: 200, tx: 20, total: 220 },
    ]);
    const h = (
      await traffic('interval=hour&from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z')
    ).json();
    expect(h.data.series).toEqual([
      { time: '2026-11-26T10:00:00.000Z', rx: 300, tx: 30, total: 330 },
      { time: '2026-11-26T11:00:00.000Z', rx: 300, tx: 30, total: 330 },
    ]);
    const d = (await traffic('interval=day&from=2026-11-01&to=2026-11-28')).json();
    expect(d.data.series).toEqual([
      { time: '2026-11-26T00:00:00.000Z', rx: 600, tx: 60, total: 660 },
    ]);
    expect((await traffic('interval=week')).statusCode).toBe(400);
    expect((await traffic('from=2026-11-27&to=2026-11-26')).json().message).toMatch(/^from: /);
    expect((await traffic('interval=minute&from=2020-01-01')).json().message).toMatch(
      /^interval: /,
    );
    const noPeer = await panel.app.inject({
      url: `/api/getPeerTraffics?configurationName=${cfg.name}&id=nope`,
      headers,
    });
    expect(noPeer.statusCode).toBe(404);

    const csv = await panel.app.inject({
      url: `/api/exportUsageCsv?configurationName=${cfg.name}&from=2026-11-26&to=2026-11-27`,
      headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'configuration,peer_name,public_key,allowed_ip,status,restriction_reason,traffic_limit,from,to,rx_bytes,tx_bytes,total_bytes',
    );
    expect(lines[1]).toContain(`"'=cmd|""x"",y",'${p.key},`);
    expect(lines[1]).toMatch(/,600,60,660$/);
    expect(lines[2]).toContain(`,plain,${q.key},`);
    expect(lines[2]).toMatch(/^[^,]+,plain,.*,0,0,0$/);
    expect(lines).toHaveLength(3);
  });

  it('serves /metrics with per-peer usage, limits, expiry and restricted peers by reason', async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    await createUsagePeer(database, cfg.configurationId, {
      period_rx: 123n,
      traffic_limit: 1000n,
      expiry_date: new Date('2026-11-28T12:00:00Z'),
      status: 'restricted',
      restriction_reason: 'manual',
    });
    const res = await panel.app.inject({ url: '/metrics', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      new RegExp(
        `wgfleet_peer_usage_bytes\\{configuration="${cfg.name}",[^}]*direction="rx"\\} 123`,
      ),
    );
    expect(res.body).toMatch(
      new RegExp(`wgfleet_peer_traffic_limit_bytes\\{configuration="${cfg.name}"[^}]*\\} 1000`),
    );
    expect(res.body).toMatch(
      new RegExp(`wgfleet_peer_expiry_seconds\\{configuration="${cfg.name}"[^}]*\\} 86400`),
    );
    expect(res.body).toMatch(/wgfleet_restricted_peers\{reason="manual"\} [1-9]/);
    expect(res.body).toContain('wgfleet_usage_ingest_duration_seconds');
  });
  it("serves every configuration's traffic series in one call (sums per bucket in SQL)", async () => {
    const { database, panel, headers } = get();
    const a = await createUsageConfiguration(database);
    const b = await createUsageConfiguration(database);
    const quiet = await createUsageConfiguration(database);
    const [a1, a2] = [
      await createUsagePeer(database, a.configurationId),
      await createUsagePeer(database, a.configurationId),
    ];
    const b1 = await createUsagePeer(database, b.configurationId);
    const row = (peer: number, iso: string, rx: bigint, tx: bigint) => ({
      peer_id: peer,
      bucket_start: new Date(iso),
      rx,
      tx,
    });
    // Hours rolled up until 11:00 (the clock says 12:00): hour rows before, minute rows after.
    await database.db
      .insertInto('peer_usage_hour')
      .values([
        row(a1.id, '2026-11-26T11:00:00Z', 1000n, 0n), // before the default 24 h
        row(a1.id, '2026-11-27T10:00:00Z', 100n, 10n),
        row(a2.id, '2026-11-27T10:00:00Z', 50n, 5n),
        row(b1.id, '2026-11-27T10:00:00Z', 7n, 0n),
      ])
      .execute();
    await database.db
      .insertInto('peer_usage_minute')
      .values([
        row(a1.id, '2026-11-27T10:30:00Z', 999n, 999n), // rolled up already: in the hour row
        row(a1.id, '2026-11-27T11:05:00Z', 1n, 1n),
        row(a2.id, '2026-11-27T11:30:00Z', 2n, 2n),
      ])
      .execute();
    await database.db
      .insertInto('settings')
      .values({
        key: 'usage_rollup_hour_done',
        value: '2026-11-27T11:00:00.000Z',
        updated_at: new Date(),
      })
      .execute();
    try {
      const traffic = (s = '') =>
        panel.app.inject({ url: `/api/getConfigurationTraffics${s}`, headers });
      const res = await traffic();
      expect(res.statusCode, res.body).toBe(200);
      const data = res.json().data as {
        interval: string;
        from: string;
        to: string;
        configurations: { name: string; series: unknown[] }[];
      };
      expect(data).toMatchObject({
        interval: 'hour',
        from: '2026-11-26T12:00:00.000Z',
        to: '2026-11-27T12:00:00.000Z',
      });
      const of = (name: string) => data.configurations.find((c) => c.name === name)?.series;
      expect(of(a.name)).toEqual([
        { time: '2026-11-27T10:00:00.000Z', rx: 150, tx: 15, total: 165 },
        { time: '2026-11-27T11:00:00.000Z', rx: 3, tx: 3, total: 6 },
      ]);
      expect(of(b.name)).toEqual([{ time: '2026-11-27T10:00:00.000Z', rx: 7, tx: 0, total: 7 }]);
      expect(of(quiet.name)).toEqual([]); // listed, without traffic
      const names = data.configurations.map((c) => c.name);
      expect(names).toEqual([...names].sort());

      const one = (await traffic(`?configurationName=${b.name}`)).json().data;
      expect(one.configurations).toEqual([
        { name: b.name, series: [{ time: '2026-11-27T10:00:00.000Z', rx: 7, tx: 0, total: 7 }] },
      ]);
      const days = (
        await traffic(`?configurationName=${a.name}&interval=day&from=2026-11-26&to=2026-11-28`)
      ).json().data;
      expect(days.configurations[0].series).toEqual([
        { time: '2026-11-26T00:00:00.000Z', rx: 1000, tx: 0, total: 1000 },
        { time: '2026-11-27T00:00:00.000Z', rx: 153, tx: 18, total: 171 },
      ]);
      const minutes = (
        await traffic(`?configurationName=${a.name}&interval=minute&from=2026-11-27T11:00:00Z`)
      ).json().data;
      expect(minutes.configurations[0].series.map((p: { total: number }) => p.total)).toEqual([
        2, 4,
      ]);

      expect((await traffic('?configurationName=nope')).statusCode).toBe(404);
      expect((await traffic('?interval=week')).statusCode).toBe(400);
      expect((await traffic('?from=2026-11-27&to=2026-11-26')).json().message).toMatch(/^from: /);
      expect((await traffic('?interval=minute&from=2020-01-01')).json().message).toMatch(
        /^interval: /,
      );
    } finally {
      await database.db
        .deleteFrom('settings')
        .where('key', '=', 'usage_rollup_hour_done')
        .execute();
    }
  });
});
