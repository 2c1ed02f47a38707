import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PEER_READ_SIZE } from '../../src/panel/app/peers/configuration-peers.js';
import { nameSortKey } from '../../src/panel/domain/name-sort-key.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

/** More peers than two batches, so the streamed answer spans several reads and writes. */
const PEERS = 2 * PEER_READ_SIZE + 234;
const GIB = 1024n ** 3n;

interface Info {
  configurationInfo: Record<string, unknown>;
  configurationPeers: Record<string, unknown>[];
  configurationRestrictedPeers: Record<string, unknown>[];
  paging: Record<string, unknown>;
}

describe.each(DIALECTS_UNDER_TEST)('getWireguardConfigurationInfo streamed on $name', (dialect) => {
  const get = usePanel(dialect);
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });

  // Odd names on purpose: escaping, non-ASCII, equal names (ordered by id then).
  const nameOf = (i: number) =>
    i % 11 === 0 ? `dup "name" \\ ☃ \u0007 😀 ${i % 2}` : `peer-${String(i).padStart(5, '0')}`;

  /** Peers written straight into the database: every kind of value the JSON carries. */
  async function seedPeers(configurationId: number, count: number) {
    const now = get().clock.now().getTime();
    const secrets: string[] = [];
    const rows = Array.from({ length: count }, (_, i) => {
      const restricted = i % 7 === 3;
      const privateKey = i % 3 === 0 ? randomBytes(32).toString('base64') : null;
      const presharedKey = i % 5 === 0 ? randomBytes(32).toString('base64') : null;
      for (const s of [privateKey, presharedKey]) if (s) secrets.push(s);
      return {
        configuration_id: configurationId,
        public_key: randomBytes(32).toString('base64'),
        private_key: privateKey,
        preshared_key: presharedKey,
        name: nameOf(i),
        name_sort_key: nameSortKey(nameOf(i)),
        allowed_ip: `10.${8 + Math.floor(i / 65_000)}.${Math.floor(i / 250) % 256}.${(i % 250) + 2}/32`,
        status: restricted ? ('restricted' as const) : ('active' as const),
        restriction_reason: restricted ? ('manual' as const) : null,
        restricted_at: restricted ? new Date(now - i * 1000) : null,
        dns: i % 4 === 0 ? '1.1.1.1' : null,
        mtu: i % 9 === 0 ? 1420 : null,
        keepalive: i % 2 === 0 ? 25 : null,
        traffic_limit: i % 6 === 0 ? 10n * GIB : null,
        expiry_date: i % 8 === 0 ? new Date(now + i * 3_600_000) : null,
        latest_handshake_at: i % 4 === 1 ? new Date(now - i * 60_000) : null,
        endpoint: i % 4 === 1 ? `192.0.2.${i % 250}:51000` : null,
        period_rx: BigInt(i) * 1_000_003n,
        period_tx: (BigInt(i) * GIB) / 7n,
        // Beyond 2^53 for some: the same (rounded) number on both paths.
        lifetime_rx: BigInt(i) * 1_000_003n + (i % 10 === 0 ? 2n ** 53n + 1n : 5n * GIB),
        lifetime_tx: (BigInt(i) * GIB) / 7n,
        last_raw_rx: 0n,
        last_raw_tx: 0n,
      };
    });
    const db = get().database.db;
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('peers')
        .values(rows.slice(i, i + 200))
        .execute();
    // Instants stored in another form than the adapter writes (CURRENT_TIMESTAMP's on SQLite).
    await sql`update peers set created_at = '2026-01-01 00:00:00', period_started_at = '2026-01-31 23:59:59' where configuration_id = ${configurationId} and id % 3 = 0`.execute(
      db,
    );
    return secrets;
  }

  /** Every page of `url` with `pageSize` (each page read at once), joined. */
  async function pagedLists(url: string, pageSize: number) {
    const active: unknown[] = [];
    const restricted: unknown[] = [];
    const order: unknown[] = [];
    for (let page = 1; page <= 100; page++) {
      const data = (await fetch(`${url}&pageSize=${pageSize}&page=${page}`)).json().data as Info;
      active.push(...data.configurationPeers);
      restricted.push(...data.configurationRestrictedPeers);
      order.push(...(data.paging.peerOrder as unknown[]));
      if (page >= (data.paging.totalPages as number)) break;
    }
    return { active, restricted, order };
  }

  it('answers every peer in batches with the JSON the paged answers hold', async () => {
    const c = await seedConfiguration(get().database);
    const secrets = await seedPeers(c.id, PEERS);
    const url = `/api/getWireguardConfigurationInfo?configurationName=${c.name}`;
    const restrictedCount = Array.from({ length: PEERS }, (_, i) => i % 7 === 3).filter(
      Boolean,
    ).length;

    for (const query of ['', '&sort=usage&order=desc', '&sort=latest_handshake', '&search=dup']) {
      const res = await fetch(`${url}${query}`);
      expect(res.statusCode, query).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = res.json() as { status: boolean; message: null; data: Info };
      expect(body).toMatchObject({ status: true, message: null });
      const paged = await pagedLists(`${url}${query}`, PEER_READ_SIZE);
      expect(body.data.configurationPeers, query).toEqual(paged.active);
      expect(body.data.configurationRestrictedPeers, query).toEqual(paged.restricted);
      expect(body.data.paging.peerOrder, query).toEqual(paged.order);
      if (!query) {
        expect(body.data.configurationPeers).toHaveLength(PEERS - restrictedCount);
        expect(body.data.configurationRestrictedPeers).toHaveLength(restrictedCount);
        expect(body.data.paging).toEqual({
          page: 1,
          pageSize: 1_000_000,
          search: null,
          sort: 'name',
          order: 'asc',
          status: 'all',
          totalPeers: PEERS - restrictedCount,
          totalRestrictedPeers: restrictedCount,
          matchedPeers: PEERS - restrictedCount,
          matchedRestrictedPeers: restrictedCount,
          totalPages: 1,
          peerOrder: paged.order,
        });
        expect(paged.order).toHaveLength(PEERS);
        expect(body.data.configurationInfo).toMatchObject({ Name: c.name, TotalPeers: PEERS });
        // Whether a key is held, read as a flag from the database (never the key itself).
        const all = [...body.data.configurationPeers, ...body.data.configurationRestrictedPeers];
        const count = (field: string) => all.filter((p) => p[field] === true).length;
        expect(count('has_private_key')).toBe(Math.ceil(PEERS / 3));
        expect(count('has_preshared_key')).toBe(Math.ceil(PEERS / 5));
        expect(all.every((p) => typeof p.has_private_key === 'boolean')).toBe(true);
      }
      for (const secret of secrets) expect(res.body.includes(secret)).toBe(false);
      expect(res.body).not.toMatch(/"private_key"|"preshared_key"/);
    }

    // A big page after the first: the same peers as the small pages it covers.
    const big = (await fetch(`${url}&pageSize=${2 * PEER_READ_SIZE}&page=2&status=active`)).json()
      .data as Info;
    const small = (await pagedLists(`${url}&status=active`, PEER_READ_SIZE)).active;
    expect(big.configurationPeers).toEqual(small.slice(2 * PEER_READ_SIZE));
    expect(big.configurationRestrictedPeers).toEqual([]);
    expect(big.paging).toMatchObject({ page: 2, totalPages: 2 });
  });

  it('writes byte for byte what the response schema writes', async () => {
    const c = await seedConfiguration(get().database);
    await seedPeers(c.id, 40);
    const url = `/api/getWireguardConfigurationInfo?configurationName=${c.name}`;
    const whole = await fetch(url); // streamed
    const page = await fetch(`${url}&pageSize=${PEER_READ_SIZE}`); // serialised by the schema
    expect(whole.body).toBe(
      page.body.replace(`"pageSize":${PEER_READ_SIZE}`, '"pageSize":1000000'),
    );
    const empty = await seedConfiguration(get().database);
    const none = await fetch(`/api/getWireguardConfigurationInfo?configurationName=${empty.name}`);
    expect(none.json().data).toMatchObject({
      configurationPeers: [],
      configurationRestrictedPeers: [],
      paging: { totalPeers: 0, totalPages: 1 },
    });
  });
});
