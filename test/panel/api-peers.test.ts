import { describe, expect, it } from 'vitest';
import { createPeerStore } from '../../src/panel/adapters/db/repos/peers-store.js';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

interface PeerJsonLike {
  id: string;
  name: string;
  allowed_ip: string;
  status: string;
  has_private_key: boolean;
  has_preshared_key: boolean;
  traffic_limit: number | null;
  expiry_date: string | null;
  [k: string]: unknown;
}

describe.each(DIALECTS_UNDER_TEST)('peers API (add, update, info) on $name', (dialect) => {
  const get = usePanel(dialect);

  const post = (url: string, payload: unknown, headers = get().headers) =>
    get().panel.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });
  const countPeers = async (configurationId: number) =>
    (
      await get()
        .database.db.selectFrom('peers')
        .select('id')
        .where('configuration_id', '=', configurationId)
        .execute()
    ).length;

  it('refuses every peers endpoint without credentials', async () => {
    const { panel } = get();
    const c = await seedConfiguration(get().database);
    const calls: [string, string][] = [
      ['GET', `/api/getWireguardConfigurationInfo?configurationName=${c.name}`],
      ['GET', `/api/getAvailableIPs/${c.name}`],
      ['POST', `/api/addPeers/${c.name}`],
      ['POST', `/api/updatePeerSettings/${c.name}`],
      ['POST', `/api/deletePeers/${c.name}`],
      ['POST', `/api/restrictPeers/${c.name}`],
      ['POST', `/api/allowAccessPeers/${c.name}`],
      ['GET', `/api/downloadPeer/${c.name}?id=x`],
      ['GET', `/api/downloadAllPeers/${c.name}`],
      ['GET', `/api/downloadPeerQRCode/${c.name}?id=x`],
    ];
    for (const [method, url] of calls) {
      const res = await panel.app.inject({ method: method as 'GET', url, payload: {} });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ status: false, data: null });
    }
  });

  it('documents every peers endpoint in the OpenAPI document', async () => {
    const doc = (await fetch('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const path of [
      '/api/getWireguardConfigurationInfo',
      '/api/getAvailableIPs/{configName}',
      '/api/addPeers/{configName}',
      '/api/updatePeerSettings/{configName}',
      '/api/deletePeers/{configName}',
      '/api/restrictPeers/{configName}',
      '/api/allowAccessPeers/{configName}',
      '/api/downloadPeer/{configName}',
      '/api/downloadAllPeers/{configName}',
      '/api/downloadPeerQRCode/{configName}',
    ])
      expect(doc.paths, path).toHaveProperty([path]);
  });

  it('adds a peer with generated keys and the next free address; counters start at zero', async () => {
    const c = await seedConfiguration(get().database);
    const res = await post(`/api/addPeers/${c.name}`, { name: "John's Phone" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe(true);
    // The fleet's agent is unreachable in this test: saved, applied later.
    expect(body.message).toMatch(/^saved; will be applied when node "node-/);
    const [peer] = body.data as PeerJsonLike[];
    expect(peer).toMatchObject({
      name: "John's Phone",
      allowed_ip: '10.8.0.2/32',
      status: 'active',
      restriction_reason: null,
      has_private_key: true,
      has_preshared_key: false,
      DNS: '1.1.1.1',
      keepalive: 25,
      endpoint_allowed_ip: '0.0.0.0/0, ::/0',
      traffic_limit: null,
      traffic_warn_threshold: 80,
      period_rx: 0,
      usage_total: 0,
      usage_percentage: null,
      traffic_limit_exceeded: false,
      expired: false,
      days_until_expiry: null,
      total_data: 0,
    });
    const row = await get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('public_key', '=', peer?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(row.last_raw_rx).toBe(0n);
    expect(row.last_raw_tx).toBe(0n);
    // Stored sealed; the panel reads the key back clear (and never answers it here).
    expect(row.private_key).toMatch(/^enc:v1:/);
    const clear = await createPeerStore(get().database).peerByKey(c.id, peer?.id ?? '');
    expect(clear?.private_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(res.body).not.toContain(clear?.private_key as string);
    expect(res.body).not.toMatch(/"private_key"|"preshared_key"/);

    const second = await post(`/api/addPeers/${c.name}`, {});
    expect(second.json().data[0].allowed_ip).toBe('10.8.0.3/32');
  });

  it('takes given keys: a public key alone stores no private key; a wrong pair is refused', async () => {
    const c = await seedConfiguration(get().database);
    const pair = generateWgKeyPair();
    const onlyPublic = await post(`/api/addPeers/${c.name}`, {
      public_key: pair.publicKey,
      allowed_ips: ['10.8.0.50/32'],
      preshared_key_bulkAdd: true,
    });
    expect(onlyPublic.statusCode).toBe(200);
    expect(onlyPublic.json().data[0]).toMatchObject({
      id: pair.publicKey,
      allowed_ip: '10.8.0.50/32',
      has_private_key: false,
      has_preshared_key: true,
    });
    const other = generateWgKeyPair();
    const mismatch = await post(`/api/addPeers/${c.name}`, {
      public_key: other.publicKey,
      private_key: pair.privateKey,
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toEqual({
      status: false,
      message: 'private_key: does not match the public key',
      data: null,
      subject: 'private_key',
    });
    const both = await post(`/api/addPeers/${c.name}`, {
      public_key: other.publicKey,
      private_key: other.privateKey,
    });
    expect(both.json().data[0]).toMatchObject({ id: other.publicKey, has_private_key: true });
    const dup = await post(`/api/addPeers/${c.name}`, { public_key: other.publicKey });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain(other.publicKey);
  });

  it('answers bad input with a 4xx naming the problem, and writes nothing', async () => {
    const c = await seedConfiguration(get().database);
    await post(`/api/addPeers/${c.name}`, { allowed_ips: ['10.8.0.9/32'] });
    const before = await countPeers(c.id);
    const cases: [unknown, number, RegExp][] = [
      [{ public_key: 'not-a-key' }, 400, /^public_key: is not a WireGuard key/],
      [{ allowed_ips: ['10.9.0.5/32'] }, 400, /^allowed_ips: 10\.9\.0\.5\/32 is outside/],
      [{ allowed_ips: ['10.8.0.9/32'] }, 409, /^allowed_ips: 10\.8\.0\.9\/32 is already taken/],
      [{ allowed_ips: ['10.8.0.1/32'] }, 409, /interface's own address/],
      [{ allowed_ips: ['banana'] }, 400, /^allowed_ips: "banana" is not/],
      [{ allowed_ips: { a: 1 } }, 400, /^allowed_ips/],
      [{ traffic_limit: 1.5 }, 400, /^traffic_limit: must be a non-negative integer/],
      [{ reset_schedule: 'monthly', reset_anchor: 0 }, 400, /^reset_anchor/],
      [{ mtu: 'big' }, 400, /^mtu/],
      [{ DNS: '1.1.1.1\nPostUp = rm -rf /' }, 400, /^DNS: /],
      [{ endpoint_allowed_ip: '0.0.0.0/0\n[Peer]' }, 400, /^endpoint_allowed_ip: /],
      [{ traffic_limit: -1 }, 400, /^traffic_limit: must be a non-negative integer/],
      [{ traffic_limit: 2 ** 60 }, 400, /^traffic_limit: is larger than 2\^53/],
      [{ traffic_limit: '10 parsecs' }, 400, /^traffic_limit: unknown unit/],
      [{ expiry_date: '2026-02-30' }, 400, /^expiry_date: /],
      [{ traffic_warn_threshold: 101 }, 400, /^traffic_warn_threshold/],
      [{ reset_schedule: 'weekly', reset_anchor: 8 }, 400, /^reset_anchor: must be an ISO weekday/],
      [{ reset_schedule: 'daily', reset_anchor: 3 }, 400, /^reset_anchor: must be null/],
      [{ nmae: 'typo' }, 400, /^nmae: is not allowed/],
      [{ bulkAdd: true }, 400, /^bulkAddAmount: Please specify amount/],
      [
        { bulkAdd: true, bulkAddAmount: 2, public_key: generateWgKeyPair().publicKey },
        400,
        /^bulkAdd: /,
      ],
    ];
    for (const [payload, status, message] of cases) {
      const res = await post(`/api/addPeers/${c.name}`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().status).toBe(false);
      expect(res.json().message, JSON.stringify(payload)).toMatch(message);
    }
    const unknown = await post('/api/addPeers/no-such-config', {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('configuration "no-such-config" not found');
    const huge = await get().panel.app.inject({
      method: 'POST',
      url: `/api/addPeers/${c.name}`,
      headers: { ...get().headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual({
      status: false,
      message: 'body: too large',
      data: null,
      subject: 'body',
    });
    expect(await countPeers(c.id)).toBe(before);
  });

  it('bulk-adds all or nothing, with preshared keys and the quota fields', async () => {
    const c = await seedConfiguration(get().database, { address: '10.8.0.1/29' }); // 5 free hosts
    const tooMany = await post(`/api/addPeers/${c.name}`, { bulkAdd: true, bulkAddAmount: 6 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().message).toBe('The maximum number of peers can add is 5');
    expect(await countPeers(c.id)).toBe(0);
    const res = await post(`/api/addPeers/${c.name}`, {
      bulkAdd: true,
      bulkAddAmount: 5,
      preshared_key_bulkAdd: true,
      traffic_limit: '10GiB',
      expiry_date: '2026-12-31T23:59:59',
      traffic_warn_threshold: 90,
      reset_schedule: 'monthly',
      reset_anchor: 15,
    });
    expect(res.statusCode).toBe(200);
    const peers = res.json().data as PeerJsonLike[];
    expect(peers.map((p) => p.allowed_ip)).toEqual([
      '10.8.0.2/32',
      '10.8.0.3/32',
      '10.8.0.4/32',
      '10.8.0.5/32',
      '10.8.0.6/32',
    ]);
    expect(peers[0]).toMatchObject({
      has_preshared_key: true,
      has_private_key: true,
      traffic_limit: 10737418240,
      expiry_date: '2026-12-31T23:59:59.000Z',
      traffic_warn_threshold: 90,
      reset_schedule: 'monthly',
      reset_anchor: 15,
      days_until_expiry: 35, // the test clock is 2026-11-27T12:00Z
      usage_percentage: 0,
    });
    expect(peers[0]?.name).toBe('BulkPeer_1_20261127_120000');
    const full = await post(`/api/addPeers/${c.name}`, {});
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toBe('No more available IP can assign');
  });

  it('gives concurrent adds distinct addresses, and keeps a zero limit as zero', async () => {
    const c = await seedConfiguration(get().database);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(`/api/addPeers/${c.name}`, { traffic_limit: 0 })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const ips = answers.map((a) => a.json().data[0].allowed_ip as string);
    expect(new Set(ips).size).toBe(6);
    expect(answers[0]?.json().data[0]).toMatchObject({
      traffic_limit: 0,
      usage_percentage: 100,
      traffic_limit_exceeded: true,
    });
  });

  it('allocates in a /16 and a /64 at once without enumerating them', async () => {
    const c = await seedConfiguration(get().database, { address: '10.9.0.1/16, fd00:9::1/64' });
    const res = await post(`/api/addPeers/${c.name}`, { bulkAdd: true, bulkAddAmount: 3 });
    expect(res.json().data.map((p: PeerJsonLike) => p.allowed_ip)).toEqual([
      '10.9.0.2/32, fd00:9::2/128',
      '10.9.0.3/32, fd00:9::3/128',
      '10.9.0.4/32, fd00:9::4/128',
    ]);
    const ips = await fetch(`/api/getAvailableIPs/${c.name}`);
    expect(ips.statusCode).toBe(200);
    const data = ips.json().data as Record<string, string[]>;
    expect(Object.keys(data)).toEqual(['10.9.0.1/16', 'fd00:9::1/64']);
    expect(data['10.9.0.1/16']).toHaveLength(255);
    expect(data['10.9.0.1/16']?.[0]).toBe('10.9.0.5/32');
    expect(data['fd00:9::1/64']?.[0]).toBe('fd00:9::5/128');
    const few = await fetch(`/api/getAvailableIPs/${c.name}?limit=2`);
    expect(few.json().data['fd00:9::1/64']).toEqual(['fd00:9::5/128', 'fd00:9::6/128']);
    expect((await fetch(`/api/getAvailableIPs/${c.name}?limit=0`)).statusCode).toBe(400);
    expect((await fetch('/api/getAvailableIPs/nope')).statusCode).toBe(404);
  });

  it('pages, searches and sorts getWireguardConfigurationInfo, with totals', async () => {
    const c = await seedConfiguration(get().database);
    for (const name of ['alpha', 'Bravo', 'charlie', 'delta_1', 'echo'])
      await post(`/api/addPeers/${c.name}`, { name });
    const url = `/api/getWireguardConfigurationInfo?configurationName=${c.name}`;
    const all = await fetch(url);
    expect(all.statusCode).toBe(200);
    const data = all.json().data;
    expect(data.configurationInfo).toMatchObject({
      Name: c.name,
      Address: '10.8.0.1/24',
      ListenPort: '51820',
      PublicKey: c.publicKey,
      Status: true,
      TotalPeers: 5,
      RestrictedPeers: 0,
      ConnectedPeers: 0,
      DataUsage: { Receive: 0, Sent: 0, Total: 0 },
      Node: { endpoint: 'vpn.example.test:51820' },
    });
    expect(data.configurationInfo).not.toHaveProperty('PrivateKey');
    // Case-insensitive (natural) name order.
    expect(data.configurationPeers.map((p: PeerJsonLike) => p.name)).toEqual([
      'alpha',
      'Bravo',
      'charlie',
      'delta_1',
      'echo',
    ]);
    expect(data.configurationRestrictedPeers).toEqual([]);
    // Without pageSize: every peer, as WGDashboard answers.
    expect(data.paging).toMatchObject({
      page: 1,
      pageSize: 1_000_000,
      totalPeers: 5,
      totalPages: 1,
    });
    expect(all.body).not.toMatch(/"private_key"|"preshared_key"/);

    const page2 = (await fetch(`${url}&pageSize=2&page=2&sort=allowed_ip&order=desc`)).json().data;
    expect(page2.configurationPeers.map((p: PeerJsonLike) => p.allowed_ip)).toEqual([
      '10.8.0.4/32',
      '10.8.0.3/32',
    ]);
    expect(page2.paging).toMatchObject({ totalPages: 3, matchedPeers: 5 });

    const found = (await fetch(`${url}&search=BRAVO`)).json().data;
    expect(found.configurationPeers.map((p: PeerJsonLike) => p.name)).toEqual(['Bravo']);
    expect(found.paging).toMatchObject({ matchedPeers: 1, totalPeers: 5, search: 'BRAVO' });
    // LIKE wildcards are matched literally.
    const underscore = (await fetch(`${url}&search=_`)).json().data;
    expect(underscore.configurationPeers.map((p: PeerJsonLike) => p.name)).toEqual(['delta_1']);
    const byIp = (await fetch(`${url}&search=10.8.0.6`)).json().data;
    expect(byIp.configurationPeers.map((p: PeerJsonLike) => p.name)).toEqual(['echo']);
    const onlyRestricted = (await fetch(`${url}&status=restricted`)).json().data;
    expect(onlyRestricted.configurationPeers).toEqual([]);

    for (const bad of [
      '&pageSize=1000001',
      '&pageSize=0',
      '&page=0',
      '&sort=private_key',
      '&status=gone',
    ])
      expect((await fetch(`${url}${bad}`)).statusCode, bad).toBe(400);
    const missing = await fetch('/api/getWireguardConfigurationInfo?configurationName=nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      status: false,
      message: 'configuration "nope" not found',
      data: null,
    });
    expect((await fetch('/api/getWireguardConfigurationInfo')).statusCode).toBe(400);
  });

  it('updates peer settings and quota fields; refuses taken addresses and wrong keys', async () => {
    const c = await seedConfiguration(get().database);
    const [a] = (await post(`/api/addPeers/${c.name}`, { name: 'a' })).json().data;
    const [b] = (await post(`/api/addPeers/${c.name}`, { name: 'b' })).json().data;
    const url = `/api/updatePeerSettings/${c.name}`;
    // WGDashboard's UI posts the whole peer object back; unknown fields are ignored.
    const res = await post(url, {
      ...a,
      name: 'renamed',
      DNS: '9.9.9.9, example.test',
      allowed_ip: '10.8.0.20/32',
      mtu: 1380,
      keepalive: 0,
      traffic_limit: 5_000_000,
      expiry_date: '2026-12-01',
      configuration: { Name: 'ignored' },
      jobs: [],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      id: a.id,
      name: 'renamed',
      DNS: '9.9.9.9, example.test',
      allowed_ip: '10.8.0.20/32',
      mtu: 1380,
      keepalive: null,
      traffic_limit: 5000000,
      expiry_date: '2026-12-01T00:00:00.000Z',
      days_until_expiry: 4,
    });
    const cleared = await post(url, { id: a.id, traffic_limit: null, expiry_date: null });
    expect(cleared.json().data).toMatchObject({ traffic_limit: null, expiry_date: null });

    const taken = await post(url, { id: a.id, allowed_ip: b.allowed_ip });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toBe(
      `allowed_ip: ${b.allowed_ip} is already taken by another peer`,
    );
    const mine = await post(url, { id: a.id, allowed_ip: '10.8.0.20/32' });
    expect(mine.statusCode).toBe(200);
    const wrongKey = await post(url, { id: a.id, private_key: generateWgKeyPair().privateKey });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json().message).toBe('private_key: does not match the public key');
    const unknown = generateWgKeyPair().publicKey;
    const missing = await post(url, { id: unknown, name: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe(`peer "${unknown}" not found`);
    expect((await post(url, { id: 'nope' })).statusCode).toBe(400);
    expect((await post(url, { name: 'no id' })).json().message).toBe('id: is required');
    expect((await post(url, { id: a.id, DNS: 'bad dns!' })).statusCode).toBe(400);
    expect((await post(url, { id: a.id, traffic_warn_threshold: 0 })).statusCode).toBe(400);
    const after = (
      await fetch(`/api/getWireguardConfigurationInfo?configurationName=${c.name}&search=renamed`)
    ).json().data.configurationPeers[0];
    expect(after).toMatchObject({ allowed_ip: '10.8.0.20/32', traffic_warn_threshold: 80 });
  });
});
