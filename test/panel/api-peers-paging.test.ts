import { describe, expect, it } from 'vitest';
import { PEER_READ_SIZE } from '../../src/panel/app/peers/configuration-peers.js';
import { openDatabase } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

interface Info {
  configurationInfo: {
    ConnectedPeers: number;
    TotalPeers: number;
    RestrictedPeers: number;
    DataUsage: { Receive: number };
  };
  configurationPeers: { id: string; status: string }[];
  configurationRestrictedPeers: { id: string; status: string }[];
  paging: {
    totalPeers: number;
    totalRestrictedPeers: number;
    matchedPeers: number;
    matchedRestrictedPeers: number;
    totalPages: number;
    peerOrder: string[];
  };
}

const PEERS = 31;
/** Usage ranks (0 = least) of the peers that get restricted: early, middle, late. */
const RESTRICTED_RANKS = [2, 13, 27];

// A page holds at most pageSize peers of every status together, sorted together, then split into
// WGDashboard's two lists (issue 9 item 1: page 1 held 25 active + 3 restricted).
describe.each(DIALECTS_UNDER_TEST)('getWireguardConfigurationInfo pages on $name', (dialect) => {
  const get = usePanel(dialect);
  const fetch = async (url: string) => {
    const res = await get().panel.app.inject({ url, headers: get().headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as Info;
  };

  /** 31 peers with distinct usage (rank i uses i kB); 3 of them restricted. Keys by usage rank. */
  async function seed() {
    const c = await seedConfiguration(get().database, { address: '10.8.0.1/24' });
    const add = await get().panel.app.inject({
      method: 'POST',
      url: `/api/addPeers/${c.name}`,
      headers: get().headers,
      payload: { bulkAdd: true, bulkAddAmount: PEERS, name: 'p' },
    });
    expect(add.statusCode, add.body).toBe(200);
    const db = get().database.db;
    const rows = await db
      .selectFrom('peers')
      .select(['id', 'public_key'])
      .where('configuration_id', '=', c.id)
      .orderBy('id')
      .execute();
    // Usage ranks in another order than creation, so no other key could explain the order.
    const keys: string[] = [];
    for (const [i, r] of rows.entries()) {
      const rank = (i * 7) % PEERS;
      keys[rank] = r.public_key;
      await db
        .updateTable('peers')
        .set({ period_rx: BigInt(rank) * 1000n })
        .where('id', '=', r.id)
        .execute();
    }
    const restricted = RESTRICTED_RANKS.map((rank) => keys[rank] as string);
    const res = await get().panel.app.inject({
      method: 'POST',
      url: `/api/restrictPeers/${c.name}`,
      headers: get().headers,
      payload: { peers: restricted },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { url: `/api/getWireguardConfigurationInfo?configurationName=${c.name}`, keys };
  }

  /** The page's peers in `peerOrder`, checked against the two lists. */
  function pageOrder(data: Info): string[] {
    const active = data.configurationPeers.map((p) => p.id);
    const restricted = data.configurationRestrictedPeers.map((p) => p.id);
    expect(data.configurationPeers.every((p) => p.status === 'active')).toBe(true);
    expect(data.configurationRestrictedPeers.every((p) => p.status === 'restricted')).toBe(true);
    // Each list keeps the page's order; together they are the page.
    expect(data.paging.peerOrder.filter((k) => active.includes(k))).toEqual(active);
    expect(data.paging.peerOrder.filter((k) => restricted.includes(k))).toEqual(restricted);
    expect(data.paging.peerOrder).toHaveLength(active.length + restricted.length);
    return data.paging.peerOrder;
  }

  it('holds at most pageSize peers of every status, sorted together; totals stay right', async () => {
    const { url, keys } = await seed();
    const q = `${url}&sort=usage&order=asc&pageSize=25`;
    const page1 = await fetch(`${q}&page=1`);
    const page2 = await fetch(`${q}&page=2`);
    expect(page1.configurationPeers).toHaveLength(23);
    expect(page1.configurationRestrictedPeers).toHaveLength(2);
    expect(page2.configurationPeers).toHaveLength(5);
    expect(page2.configurationRestrictedPeers).toHaveLength(1);
    expect([...pageOrder(page1), ...pageOrder(page2)]).toEqual(keys);
    for (const p of [page1, page2])
      expect(p.paging).toMatchObject({
        totalPeers: PEERS - 3,
        totalRestrictedPeers: 3,
        matchedPeers: PEERS - 3,
        matchedRestrictedPeers: 3,
        totalPages: 2,
      });
    const page3 = await fetch(`${q}&page=3`);
    expect(pageOrder(page3)).toEqual([]);

    const desc = await fetch(`${url}&sort=usage&order=desc&pageSize=10&page=1`);
    expect(pageOrder(desc)).toEqual([...keys].reverse().slice(0, 10));
    expect(desc.configurationRestrictedPeers.map((p) => p.id)).toEqual([keys[27]]);
    expect(desc.paging.totalPages).toBe(4);
  });

  it('pages one status alone; big pages (read in batches) split the same way', async () => {
    const { url, keys } = await seed();
    const restricted = RESTRICTED_RANKS.map((r) => keys[r]);
    const active = keys.filter((k) => !restricted.includes(k));
    const q = `${url}&sort=usage`;

    const r1 = await fetch(`${q}&status=restricted&pageSize=2&page=1`);
    const r2 = await fetch(`${q}&status=restricted&pageSize=2&page=2`);
    expect([...pageOrder(r1), ...pageOrder(r2)]).toEqual(restricted);
    expect(r1.configurationPeers).toEqual([]);
    expect(r1.paging.totalPages).toBe(2);
    const a2 = await fetch(`${q}&status=active&pageSize=25&page=2`);
    expect(pageOrder(a2)).toEqual(active.slice(25));
    expect(a2.configurationRestrictedPeers).toEqual([]);
    expect(a2.paging.totalPages).toBe(2);

    // Above PEER_READ_SIZE a page is read as refs, then rows by id: the same page, the same split.
    for (const big of [`${q}&pageSize=${PEER_READ_SIZE + 1}`, q]) {
      const data = await fetch(big);
      expect(pageOrder(data), big).toEqual(keys);
      expect(data.configurationRestrictedPeers.map((p) => p.id)).toEqual(restricted);
      expect(data.configurationPeers.map((p) => p.id)).toEqual(active);
      expect(data.paging.totalPages).toBe(1);
    }
    const bigDesc = await fetch(`${q}&order=desc&pageSize=${PEER_READ_SIZE + 1}&status=active`);
    expect(pageOrder(bigDesc)).toEqual([...active].reverse());

    // Search narrows both statuses; the page counts what matched.
    const one = keys[13] as string;
    const found = await fetch(`${q}&search=${encodeURIComponent(one.slice(0, 20))}&pageSize=5`);
    expect(pageOrder(found)).toEqual([one]);
    expect(found.paging).toMatchObject({
      matchedPeers: 0,
      matchedRestrictedPeers: 1,
      totalPeers: PEERS - 3,
      totalPages: 1,
    });
  });
  // The totals of a page (a scan of the whole configuration) may be kept between pages (SQLite:
  // while nothing was written); every write shows on the next page, whoever made it.
  it("totals follow every write: the panel's own and another connection's", async () => {
    const { url, keys } = await seed();
    const page = `${url}&pageSize=5`;
    const before = await fetch(page);
    expect(await fetch(page)).toEqual(before);
    expect(before.configurationInfo.RestrictedPeers).toBe(RESTRICTED_RANKS.length);
    const restrict = await get().panel.app.inject({
      method: 'POST',
      url: `/api/restrictPeers/${url.split('=')[1]}`,
      headers: get().headers,
      payload: { peers: [keys[0]] },
    });
    expect(restrict.statusCode, restrict.body).toBe(200);
    const own = await fetch(page);
    expect(own.configurationInfo.RestrictedPeers).toBe(RESTRICTED_RANKS.length + 1);
    expect(own.paging.totalRestrictedPeers).toBe(RESTRICTED_RANKS.length + 1);

    const other = openDatabase(get().ctx.config.databaseUrl);
    try {
      await other.db
        .updateTable('peers')
        .set({ period_rx: 5n * 1024n ** 3n, latest_handshake_at: get().clock.now() })
        .where('public_key', '=', keys[1]!)
        .execute();
    } finally {
      await other.close();
    }
    const after = await fetch(page);
    expect(after.configurationInfo.ConnectedPeers).toBe(own.configurationInfo.ConnectedPeers + 1);
    expect(after.configurationInfo.DataUsage.Receive).toBeGreaterThan(
      own.configurationInfo.DataUsage.Receive + 4.9,
    );
    // Time alone moves "connected" (a handshake counts for 180 s).
    get().clock.advance(181_000);
    expect((await fetch(page)).configurationInfo.ConnectedPeers).toBe(
      own.configurationInfo.ConnectedPeers,
    );
  });
});
