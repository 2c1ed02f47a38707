import { describe, expect, it } from 'vitest';
import { PEER_READ_SIZE } from '../../src/panel/app/peers/configuration-peers.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

interface Info {
  configurationPeers: { id: string; name: string }[];
  configurationRestrictedPeers: { id: string; name: string }[];
  paging: { totalPages: number; peerOrder: string[] };
}

// Names sort naturally (`user 2` before `user 10`) and case-insensitively, on every database, for
// every page and both statuses together (issue 20 item 1).
describe.each(DIALECTS_UNDER_TEST)('peer names sort naturally on $name', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const fetch = async (url: string) => {
    const res = await get().panel.app.inject({ url, headers: get().headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as Info;
  };
  /** Names in the order the pages show them (each page in `peerOrder`), pages joined. */
  async function names(url: string, pageSize?: number): Promise<string[]> {
    const out: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const data = await fetch(pageSize ? `${url}&pageSize=${pageSize}&page=${page}` : url);
      const byKey = new Map(
        [...data.configurationPeers, ...data.configurationRestrictedPeers].map((p) => [p.id, p]),
      );
      out.push(...data.paging.peerOrder.map((k) => byKey.get(k)?.name ?? '?'));
      if (!pageSize || page >= data.paging.totalPages) break;
    }
    return out;
  }

  it('orders names with numbers by value, case-insensitively, across pages and statuses', async () => {
    const c = await seedConfiguration(get().database);
    const keys = new Map<string, string>();
    for (const name of ['user 10', 'user 2', 'User 1', 'user 100', 'Bravo', 'alpha', 'user 9']) {
      const res = await post(`/api/addPeers/${c.name}`, { name });
      expect(res.statusCode, res.body).toBe(200);
      keys.set(name, res.json().data[0].id);
    }
    // Renamed: the key follows the name. Restricted: sorted among the others.
    const renamed = await post(`/api/updatePeerSettings/${c.name}`, {
      id: keys.get('user 100'),
      name: 'user 3',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await post(`/api/restrictPeers/${c.name}`, { peers: [keys.get('user 10')] });

    const expected = ['alpha', 'Bravo', 'User 1', 'user 2', 'user 3', 'user 9', 'user 10'];
    const url = `/api/getWireguardConfigurationInfo?configurationName=${c.name}&sort=name`;
    expect(await names(`${url}&order=asc`, 3)).toEqual(expected);
    expect(await names(`${url}&order=desc`, 3)).toEqual([...expected].reverse());
    // Big pages (refs first, rows in batches) and the whole list (streamed): the same order.
    expect(await names(`${url}&order=asc`, PEER_READ_SIZE + 1)).toEqual(expected);
    expect(await names(url)).toEqual(expected);
    const restricted = (await fetch(`${url}&pageSize=3&page=3`)).configurationRestrictedPeers;
    expect(restricted.map((p) => p.name)).toEqual(['user 10']);
  });

  it('numbers bulk-added peers in order (_2 before _10)', async () => {
    const c = await seedConfiguration(get().database);
    const res = await post(`/api/addPeers/${c.name}`, {
      bulkAdd: true,
      bulkAddAmount: 12,
      name: 'Phone',
    });
    expect(res.statusCode, res.body).toBe(200);
    const url = `/api/getWireguardConfigurationInfo?configurationName=${c.name}`;
    const listed = await names(url, 5);
    expect(listed.map((n) => n.replace(/_\d{8}_\d{6}$/, ''))).toEqual(
      Array.from({ length: 12 }, (_, i) => `Phone_${i + 1}`),
    );
  });

  it('names bulk-added peers `<prefix> <n>` from a first number, in natural order', async () => {
    const c = await seedConfiguration(get().database);
    const first = await post(`/api/addPeers/${c.name}`, {
      bulkAdd: true,
      bulkAddAmount: 9,
      bulkAddStart: 1,
      name: 'user',
      traffic_limit: '5GiB',
      reset_schedule: 'monthly',
    });
    expect(first.statusCode, first.body).toBe(200);
    // A second batch continues the numbers: user 10 … user 12 sort after user 9, not after user 1.
    const more = await post(`/api/addPeers/${c.name}`, {
      bulkAdd: true,
      bulkAddAmount: 3,
      bulkAddStart: 10,
      name: 'user',
    });
    expect(more.statusCode, more.body).toBe(200);
    const url = `/api/getWireguardConfigurationInfo?configurationName=${c.name}&sort=name`;
    const expected = Array.from({ length: 12 }, (_, i) => `user ${i + 1}`);
    expect(await names(`${url}&order=asc`, 5)).toEqual(expected);
    expect(await names(`${url}&order=desc`, 5)).toEqual([...expected].reverse());
    // The shared quota fields landed on every peer of the batch.
    const data = first.json().data as { traffic_limit: number; reset_schedule: string }[];
    expect(new Set(data.map((p) => `${p.traffic_limit}/${p.reset_schedule}`))).toEqual(
      new Set([`${5 * 2 ** 30}/monthly`]),
    );
    // A first number without bulkAdd, or below 1: refused, naming the field, nothing written.
    for (const payload of [
      { name: 'x', bulkAddStart: 3 },
      { name: 'x', bulkAdd: true, bulkAddAmount: 2, bulkAddStart: 0 },
    ]) {
      const bad = await post(`/api/addPeers/${c.name}`, payload);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().subject).toBe('bulkAddStart');
    }
    expect(await names(url)).toHaveLength(12);
  });
});
