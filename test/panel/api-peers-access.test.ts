import { describe, expect, it } from 'vitest';
import { createPeerStore } from '../../src/panel/adapters/db/repos/peers-store.js';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)(
  'peers API (restrict, allow, delete, download) on $name',
  (dialect) => {
    const get = usePanel(dialect);

    const post = (url: string, payload: unknown) =>
      get().panel.app.inject({
        method: 'POST',
        url,
        payload: payload as object,
        headers: get().headers,
      });
    const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });
    const rowOf = (key: string) =>
      get()
        .database.db.selectFrom('peers')
        .selectAll()
        .where('public_key', '=', key)
        .executeTakeFirstOrThrow();
    const addPeers = async (config: string, amount: number) =>
      (await post(`/api/addPeers/${config}`, { bulkAdd: true, bulkAddAmount: amount })).json()
        .data as { id: string; allowed_ip: string }[];

    it('restricts by hand: kept with its address and usage, reserved, listed as restricted', async () => {
      const c = await seedConfiguration(get().database);
      const [a, b] = await addPeers(c.name, 2);
      await get()
        .database.db.updateTable('peers')
        .set({ period_rx: 1000n, period_tx: 500n, last_raw_rx: 1000n, last_raw_tx: 500n })
        .where('public_key', '=', a?.id ?? '')
        .execute();
      const res = await post(`/api/restrictPeers/${c.name}`, { peers: [a?.id] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: true, data: null });
      expect(res.json().message).toMatch(/^saved; will be applied when node/);
      const row = await rowOf(a?.id ?? '');
      expect(row).toMatchObject({
        status: 'restricted',
        restriction_reason: 'manual',
        allowed_ip: a?.allowed_ip,
        period_rx: 1000n,
        period_tx: 500n,
      });
      expect(row.restricted_at?.toISOString()).toBe('2026-11-27T12:00:00.000Z');
      const events = await get()
        .database.db.selectFrom('peer_events')
        .selectAll()
        .where('peer_id', '=', row.id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.type)).toEqual(['created', 'restricted']);

      const info = (
        await fetch(`/api/getWireguardConfigurationInfo?configurationName=${c.name}`)
      ).json().data;
      expect(info.configurationPeers.map((p: { id: string }) => p.id)).toEqual([b?.id]);
      expect(info.configurationRestrictedPeers[0]).toMatchObject({
        id: a?.id,
        status: 'restricted',
        restriction_reason: 'manual',
        usage_total: 1500,
      });
      expect(info.configurationInfo).toMatchObject({ TotalPeers: 2, RestrictedPeers: 1 });
      expect(info.configurationInfo.DataUsageBytes).toEqual({
        Receive: 1000,
        Sent: 500,
        Total: 1500,
      });

      // Its address stays reserved.
      const next = (await post(`/api/addPeers/${c.name}`, {})).json().data[0];
      expect(next.allowed_ip).toBe('10.8.0.4/32');
      const clash = await post(`/api/addPeers/${c.name}`, { allowed_ips: [a?.allowed_ip] });
      expect(clash.statusCode).toBe(409);
    });

    it('allows access again and restarts the raw counters; refuses while over limit or expired', async () => {
      const c = await seedConfiguration(get().database);
      const [a, over, expired] = await addPeers(c.name, 3);
      const keys = [a?.id, over?.id, expired?.id] as string[];
      expect((await post(`/api/restrictPeers/${c.name}`, { peers: keys })).statusCode).toBe(200);
      await get()
        .database.db.updateTable('peers')
        .set({ last_raw_rx: 7n, last_raw_tx: 9n })
        .where('public_key', '=', keys[0] as string)
        .execute();
      await get()
        .database.db.updateTable('peers')
        .set({ traffic_limit: 1000n, period_rx: 800n, period_tx: 200n })
        .where('public_key', '=', keys[1] as string)
        .execute();
      await get()
        .database.db.updateTable('peers')
        .set({ expiry_date: new Date('2026-11-27T11:00:00Z') })
        .where('public_key', '=', keys[2] as string)
        .execute();

      const refused = await post(`/api/allowAccessPeers/${c.name}`, { peers: [keys[0], keys[1]] });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toMatch(
        /is still over its traffic limit \(1000 \/ 1000 bytes\).*nothing changed$/,
      );
      expect((await rowOf(keys[0] as string)).status).toBe('restricted'); // all or nothing
      const expiredRes = await post(`/api/allowAccessPeers/${c.name}`, { peers: [keys[2]] });
      expect(expiredRes.statusCode).toBe(409);
      expect(expiredRes.json().message).toMatch(/expired at 2026-11-27T11:00:00.000Z/);

      const ok = await post(`/api/allowAccessPeers/${c.name}`, { peers: [keys[0]] });
      expect(ok.statusCode).toBe(200);
      expect(await rowOf(keys[0] as string)).toMatchObject({
        status: 'active',
        restriction_reason: null,
        restricted_at: null,
        last_raw_rx: 0n,
        last_raw_tx: 0n,
      });
      // Raising the limit lifts the refusal.
      await post(`/api/updatePeerSettings/${c.name}`, { id: keys[1], traffic_limit: '1MiB' });
      expect((await post(`/api/allowAccessPeers/${c.name}`, { peers: [keys[1]] })).statusCode).toBe(
        200,
      );
    });

    it('names unknown peers with a 404 and changes nothing; refuses malformed lists', async () => {
      const c = await seedConfiguration(get().database);
      const [a] = await addPeers(c.name, 1);
      const ghost = generateWgKeyPair().publicKey;
      for (const action of ['restrictPeers', 'allowAccessPeers', 'deletePeers']) {
        const res = await post(`/api/${action}/${c.name}`, { peers: [a?.id, ghost] });
        expect(res.statusCode, action).toBe(404);
        expect(res.json().message).toBe(
          `peer "${ghost}" not found in configuration "${c.name}"; nothing changed`,
        );
        expect((await rowOf(a?.id ?? '')).status).toBe('active');
        for (const [payload, message] of [
          [{ peers: [] }, /^peers/],
          [{ peers: ['short'] }, /^peers\.0: "short" is not a WireGuard public key$/],
          [{}, /^peers: is required$/],
          [{ peers: [a?.id], extra: 1 }, /^extra: is not allowed$/],
        ] as const) {
          const bad = await post(`/api/${action}/${c.name}`, payload);
          expect(bad.statusCode, `${action} ${JSON.stringify(payload)}`).toBe(400);
          expect(bad.json().message).toMatch(message);
        }
        expect((await post(`/api/${action}/nope`, { peers: [a?.id] })).statusCode).toBe(404);
      }
    });

    it('deletes peers (base64url ids accepted) and frees their addresses', async () => {
      const c = await seedConfiguration(get().database);
      const [a, b] = await addPeers(c.name, 2);
      const urlSafe = (a?.id ?? '').replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, '');
      const res = await post(`/api/deletePeers/${c.name}`, { peers: [urlSafe, b?.id] });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe(true);
      const left = await get()
        .database.db.selectFrom('peers')
        .select('id')
        .where('configuration_id', '=', c.id)
        .execute();
      expect(left).toEqual([]);
      expect((await post(`/api/addPeers/${c.name}`, {})).json().data[0].allowed_ip).toBe(
        '10.8.0.2/32',
      );
    });

    it('downloads a client config and its QR code; refuses when the panel has no private key', async () => {
      const c = await seedConfiguration(get().database);
      const [peer] = (
        await post(`/api/addPeers/${c.name}`, {
          name: "John's Phone",
          preshared_key_bulkAdd: true,
          mtu: 1380,
        })
      ).json().data;
      // The keys as the panel reads them (stored sealed).
      const row = await createPeerStore(get().database).peerByKey(c.id, peer.id);
      if (!row) throw new Error('peer not stored');
      const res = await fetch(`/api/downloadPeer/${c.name}?id=${encodeURIComponent(peer.id)}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json().data).toEqual({
        fileName: 'JohnsPhone',
        file: [
          '[Interface]',
          `PrivateKey = ${row.private_key}`,
          'Address = 10.8.0.2/32',
          'DNS = 1.1.1.1',
          'MTU = 1380',
          '',
          '[Peer]',
          `PublicKey = ${c.publicKey}`,
          `PresharedKey = ${row.preshared_key}`,
          'AllowedIPs = 0.0.0.0/0, ::/0',
          'Endpoint = vpn.example.test:51820',
          'PersistentKeepalive = 25',
          '',
        ].join('\n'),
      });
      const svg = await fetch(
        `/api/downloadPeerQRCode/${c.name}?id=${encodeURIComponent(peer.id)}`,
      );
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(svg.body).toMatch(/^<svg /);
      const png = await fetch(
        `/api/downloadPeerQRCode/${c.name}?id=${encodeURIComponent(peer.id)}&format=png`,
      );
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      expect(
        (
          await fetch(
            `/api/downloadPeerQRCode/${c.name}?id=${encodeURIComponent(peer.id)}&format=gif`,
          )
        ).statusCode,
      ).toBe(400);

      const external = generateWgKeyPair().publicKey;
      await post(`/api/addPeers/${c.name}`, { public_key: external, name: "John's Phone" });
      const refused = await fetch(`/api/downloadPeer/${c.name}?id=${encodeURIComponent(external)}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toMatch(/^the panel has no private key for peer/);
      const ghost = generateWgKeyPair().publicKey;
      expect(
        (await fetch(`/api/downloadPeer/${c.name}?id=${encodeURIComponent(ghost)}`)).statusCode,
      ).toBe(404);
      expect((await fetch(`/api/downloadPeer/${c.name}?id=bad`)).statusCode).toBe(400);
      expect((await fetch(`/api/downloadPeer/${c.name}`)).statusCode).toBe(400);
      expect(
        (await fetch(`/api/downloadPeer/nope?id=${encodeURIComponent(ghost)}`)).statusCode,
      ).toBe(404);

      await post(`/api/addPeers/${c.name}`, { name: "John's Phone" });
      const all = await fetch(`/api/downloadAllPeers/${c.name}`);
      expect(all.statusCode).toBe(200);
      // Every peer, as WGDashboard 4.3 answers it; the one without a key has a placeholder line.
      expect(all.json().message).toBe(
        '1 peer(s) without a private key in the panel: their files need it added',
      );
      const files = all.json().data as { fileName: string; file: string }[];
      expect(files.map((f) => f.fileName)).toEqual(['JohnsPhone', 'JohnsPhone_2', 'JohnsPhone_3']);
      const placeholders = files.filter((f) => !/^PrivateKey = /m.test(f.file));
      expect(placeholders).toHaveLength(1);
      expect(placeholders[0]?.file).toMatch(
        /^# PrivateKey = <this peer's private key: the panel does not hold it/m,
      );
    });

    it('uses the host of the node URL when the node has no public host', async () => {
      const c = await seedConfiguration(get().database, { publicHost: null, dns: null });
      const [peer] = (await post(`/api/addPeers/${c.name}`, {})).json().data;
      expect(peer.DNS).toBeNull();
      const file = (
        await fetch(`/api/downloadPeer/${c.name}?id=${encodeURIComponent(peer.id)}`)
      ).json().data.file as string;
      expect(file).toContain('Endpoint = 127.0.0.1:51820');
      expect(file).not.toContain('DNS');
    });
  },
);
