import { describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { createUsageConfiguration, createUsagePeer } from './support/usage-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

/**
 * WGDashboard 4.3's small routes, replayed as its scripts send them (dashboard.py), answers
 * checked against 4.3's shapes. Every dialect: sessions and addresses read the database.
 */
describe.each(DIALECTS_UNDER_TEST)('WGDashboard 4.3 small routes ($name)', (dialect) => {
  const get = usePanel(dialect);
  const fetch = (url: string, auth = true) =>
    get().panel.app.inject({ url, headers: auth ? get().headers : {} });
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });

  it('requireAuthentication, getDashboardVersion, isTotpEnabled answer without sign-in', async () => {
    expect((await fetch('/api/requireAuthentication', false)).json()).toEqual({
      status: true,
      message: null,
      data: true,
    });
    const version = (await fetch('/api/getDashboardVersion', false)).json();
    expect(version).toEqual({ status: true, message: 'wgfleet test', data: 'v4.3' });
    expect((await fetch('/api/isTotpEnabled', false)).json()).toMatchObject({ data: false });
    expect((await fetch('/api/protocolsEnabled')).json()).toMatchObject({ data: ['wg'] });
    expect((await fetch('/api/protocolsEnabled', false)).statusCode).toBe(401);
  });

  it('backup routes answer status:false (501) saying what wgfleet does instead', async () => {
    const answers = [
      await fetch('/api/getWireguardConfigurationBackup?configurationName=wg0'),
      await fetch('/api/getAllWireguardConfigurationBackup'),
      await fetch('/api/createWireguardConfigurationBackup?configurationName=wg0'),
      await post('/api/deleteWireguardConfigurationBackup', {
        ConfigurationName: 'wg0',
        BackupFileName: 'wg0_20250101000000.conf',
      }),
      await fetch(
        '/api/downloadWireguardConfigurationBackup?configurationName=wg0&backupFileName=x.conf',
      ),
      await post('/api/restoreWireguardConfigurationBackup', {
        ConfigurationName: 'wg0',
        BackupFileName: 'wg0_20250101000000.conf',
      }),
    ];
    for (const a of answers) {
      expect(a.statusCode).toBe(501);
      expect(a.json()).toMatchObject({ status: false, data: null });
      expect(a.json().message).toContain('wgfleet panel backup');
    }
    expect(
      (await get().panel.app.inject({ url: '/api/getAllWireguardConfigurationBackup' })).statusCode,
    ).toBe(401);
  });

  it('getNumberOfAvailableIPs counts the free addresses of each interface address', async () => {
    const { database } = get();
    const c = await createUsageConfiguration(database);
    await database.db
      .updateTable('configurations')
      .set({ address: '10.44.0.1/24, fd44::1/64' })
      .where('id', '=', c.configurationId)
      .execute();
    await createUsagePeer(database, c.configurationId, { allowed_ip: '10.44.0.2/32, fd44::2/128' });
    await createUsagePeer(database, c.configurationId, {
      allowed_ip: '10.44.0.3/32',
      status: 'restricted',
      restriction_reason: 'manual',
    });
    const r = await fetch(`/api/getNumberOfAvailableIPs/${c.name}`);
    expect(r.statusCode).toBe(200);
    // 254 hosts − the interface − two peers (a restricted peer keeps its address); IPv6 exact.
    expect(r.body).toContain('"fd44::1/64":18446744073709551613');
    expect(r.json()).toMatchObject({ status: true, data: { '10.44.0.1/24': 251 } });
    const missing = await fetch('/api/getNumberOfAvailableIPs/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: false, data: null });
  });

  it('getPeerSessions answers the minutes the peer moved traffic, over UTC days', async () => {
    const { database, clock } = get();
    const c = await createUsageConfiguration(database);
    const peer = await createUsagePeer(database, c.configurationId);
    const at = (iso: string) => new Date(iso);
    await database.db
      .insertInto('peer_usage_minute')
      .values([
        { peer_id: peer.id, bucket_start: at('2026-11-26T23:59:00Z'), rx: 1n, tx: 0n },
        { peer_id: peer.id, bucket_start: at('2026-11-27T08:00:00Z'), rx: 10n, tx: 5n },
        { peer_id: peer.id, bucket_start: at('2026-11-27T08:01:00Z'), rx: 0n, tx: 7n },
      ])
      .execute();
    clock.set('2026-11-27T12:00:00Z');
    const id = encodeURIComponent(peer.key);
    const q = `configurationName=${c.name}&id=${id}`;
    const today = (await fetch(`/api/getPeerSessions?${q}`)).json();
    expect(today).toEqual({
      status: true,
      message: null,
      data: ['2026-11-27T08:00:00.000Z', '2026-11-27T08:01:00.000Z'],
    });
    const both = (
      await fetch(`/api/getPeerSessions?${q}&startDate=2026-11-26&endDate=2026-11-27`)
    ).json();
    expect(both.data).toHaveLength(3);
    const reversed = await fetch(
      `/api/getPeerSessions?${q}&startDate=2026-11-27&endDate=2026-11-26`,
    );
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().message).toContain('startDate must be smaller than endDate');
    const bad = await fetch(`/api/getPeerSessions?${q}&startDate=2026-02-31`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: false, subject: 'startDate' });
    expect((await fetch(`/api/getPeerSessions?configurationName=${c.name}`)).statusCode).toBe(400);
  });

  it('getPeerHistoricalEndpoints answers 4.3’s shape from the last endpoint seen', async () => {
    const { database } = get();
    const c = await createUsageConfiguration(database);
    const seen = await createUsagePeer(database, c.configurationId, {
      endpoint: '[fd00::7]:40123',
      latest_handshake_at: new Date('2026-11-27T11:59:00Z'),
    });
    const never = await createUsagePeer(database, c.configurationId);
    const ask = (key: string) =>
      fetch(
        `/api/getPeerHistoricalEndpoints?configurationName=${c.name}&id=${encodeURIComponent(key)}`,
      );
    const r = (await ask(seen.key)).json();
    expect(r).toMatchObject({
      status: true,
      data: {
        endpoints: [{ endpoint: '[fd00::7]', time: '2026-11-27T11:59:00.000Z' }],
        geolocation: [],
      },
    });
    expect((await ask(never.key)).json().data).toEqual({ endpoints: [], geolocation: [] });
    const other = (await ask(generateWgKeyPair().publicKey)).statusCode;
    expect(other).toBe(404);
  });
});
