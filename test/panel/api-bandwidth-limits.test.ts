import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { createUsageConfiguration, createUsagePeer, peerRow } from './support/usage-fixtures.js';

describe.each(DIALECTS_UNDER_TEST)('speed limits API on $name', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: unknown) =>
    get().panel.app.inject({
      method: 'POST',
      url,
      headers: get().headers,
      payload: payload as object,
    });

  it('sets, parses, keeps and clears download and upload limits; shown in the peer JSON', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerBandwidthLimit/${cfg.name}`;

    const set = await post(url, { id: p.key, download_bps: 10_000_000, upload_bps: '2Mbit' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      status: true,
      message: 'Bandwidth limit updated',
      data: { id: p.key, download_bps: 10_000_000, upload_bps: 2_000_000 },
    });
    const row = await peerRow(database, p.id);
    expect([row.download_bps, row.upload_bps]).toEqual([10_000_000n, 2_000_000n]);

    // An absent field is kept; null clears.
    const one = await post(url, { id: p.key, upload_bps: null });
    expect(one.json().data).toMatchObject({ download_bps: 10_000_000, upload_bps: null });

    const listed = await get().panel.app.inject({
      method: 'GET',
      url: `/api/getWireguardConfigurationInfo?configurationName=${cfg.name}`,
      headers: get().headers,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const peers = [
      ...(listed.json().data.configurationPeers as { id: string; download_bps: number | null }[]),
    ];
    expect(peers.find((x) => x.id === p.key)).toMatchObject({
      download_bps: 10_000_000,
      upload_bps: null,
    });

    await post(url, { id: p.key, download_bps: null });
    const cleared = await peerRow(database, p.id);
    expect([cleared.download_bps, cleared.upload_bps]).toEqual([null, null]);
  });

  it('refuses bad speeds naming the field, and writes nothing', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerBandwidthLimit/${cfg.name}`;
    await post(url, { id: p.key, download_bps: 5_000_000 });
    for (const [field, bad] of [
      ['download_bps', 100],
      ['download_bps', 1.5],
      ['upload_bps', '10MiB'],
      ['upload_bps', '1000G'],
      ['download_bps', true],
    ] as const) {
      const res = await post(url, { id: p.key, download_bps: 1_000_000, [field]: bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`^${field}: `));
    }
    const none = await post(url, { id: p.key });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/^download_bps: is required/);
    expect((await peerRow(database, p.id)).download_bps).toBe(5_000_000n);
    expect(
      (await post(`/api/updatePeerBandwidthLimit/nope`, { id: p.key, download_bps: 1e6 }))
        .statusCode,
    ).toBe(404);
  });

  it('limits many peers at once, all or nothing', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const a = await createUsagePeer(database, cfg.configurationId);
    const b = await createUsagePeer(database, cfg.configurationId);
    const url = `/api/updatePeerBandwidthLimit/${cfg.name}`;
    const res = await post(url, {
      peers: [a.key, b.key],
      download_bps: '20Mbit',
      upload_bps: '5Mbit',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(2);
    for (const id of [a.id, b.id])
      expect((await peerRow(database, id)).upload_bps).toBe(5_000_000n);
    const unknown = await post(url, { peers: [a.key, 'x'.repeat(43) + '='], download_bps: null });
    expect(unknown.statusCode).toBe(404);
    expect((await peerRow(database, a.id)).download_bps).toBe(20_000_000n);
  });

  it('takes the limits in addPeers and updatePeerSettings (the same parser)', async () => {
    const { database } = get();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId);
    const res = await post(`/api/updatePeerSettings/${cfg.name}`, {
      id: p.key,
      download_bps: '3Mbit',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ download_bps: 3_000_000, upload_bps: null });
    const bad = await post(`/api/updatePeerSettings/${cfg.name}`, {
      id: p.key,
      upload_bps: 'fast',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^upload_bps: /);
  });
});
