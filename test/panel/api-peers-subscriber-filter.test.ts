// getWireguardConfigurationInfo's `subscriber` filter on every dialect: only that subscriber's
// peers, in both lists and every read path (a page read at once, a big page read by refs, every
// peer streamed), with the matching counts the pager shows.
import { describe, expect, it } from 'vitest';
import { PEER_READ_SIZE } from '../../src/panel/app/peers/configuration-peers.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

interface Info {
  configurationPeers: { id: string; name: string; subscriber_id: number | null }[];
  configurationRestrictedPeers: { id: string; name: string; subscriber_id: number | null }[];
  paging: { matchedPeers: number; matchedRestrictedPeers: number; totalPages: number };
}

describe.each(DIALECTS_UNDER_TEST)('peers of one subscriber on $name', (dialect) => {
  const get = usePanel(dialect);
  const send = async (method: 'GET' | 'POST', url: string, payload?: object) =>
    get().panel.app.inject({ method, url, payload, headers: get().headers });
  const ok = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await send(method, url, payload);
    expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
    return res.json().data;
  };
  const names = (d: Info) =>
    [...d.configurationPeers, ...d.configurationRestrictedPeers].map((p) => p.name).sort();

  it("keeps only the subscriber's peers, with their counts, on every read path", async () => {
    const c = await seedConfiguration(get().database, { address: '10.8.0.1/24' });
    const other = await seedConfiguration(get().database, { address: '10.9.0.1/24' });
    await ok('POST', `/api/addPeers/${c.name}`, {
      bulkAdd: true,
      bulkAddAmount: 6,
      bulkAddStart: 1,
      name: 'p',
    });
    const alice = await ok('POST', '/api/addSubscriber', {
      name: 'Alice',
      peers: [
        { configuration: c.name, name: 'alice phone' },
        { configuration: c.name, name: 'alice laptop' },
        { configuration: other.name, name: 'alice elsewhere' },
      ],
    });
    const bob = await ok('POST', '/api/addSubscriber', {
      name: 'Bob',
      peers: [{ configuration: c.name, name: 'bob phone' }],
    });
    // An existing peer assigned to Alice, and one of hers restricted: both lists hold hers.
    const base = `/api/getWireguardConfigurationInfo?configurationName=${c.name}`;
    const all: Info = await ok('GET', `${base}&pageSize=50`);
    const p3 = all.configurationPeers.find((p) => p.name === 'p 3');
    expect(p3, JSON.stringify(names(all))).toBeDefined();
    expect(p3?.subscriber_id).toBeNull();
    await ok('POST', '/api/assignSubscriberPeers', {
      id: alice.id,
      peers: [{ configuration: c.name, id: p3?.id }],
    });
    const laptop = alice.peers.find((p: { name: string }) => p.name === 'alice laptop');
    await ok('POST', `/api/restrictPeers/${c.name}`, { peers: [laptop.id] });

    const mine = ['alice laptop', 'alice phone', 'p 3'];
    for (const size of ['&pageSize=2', `&pageSize=${PEER_READ_SIZE + 1}`, '']) {
      const d: Info = await ok('GET', `${base}&subscriber=${alice.id}${size}`);
      if (size === '&pageSize=2') {
        expect(d.paging.totalPages).toBe(2);
        const next: Info = await ok('GET', `${base}&subscriber=${alice.id}${size}&page=2`);
        expect([...names(d), ...names(next)].sort()).toEqual(mine);
      } else expect(names(d), size).toEqual(mine);
      expect(d.paging.matchedPeers).toBe(2);
      expect(d.paging.matchedRestrictedPeers).toBe(1);
      expect(d.configurationRestrictedPeers.map((p) => p.name)).toEqual(['alice laptop']);
      for (const p of [...d.configurationPeers, ...d.configurationRestrictedPeers])
        expect(p.subscriber_id).toBe(alice.id);
    }
    // With a search too: both apply.
    const searched: Info = await ok(
      'GET',
      `${base}&subscriber=${alice.id}&search=phone&pageSize=50`,
    );
    expect(names(searched)).toEqual(['alice phone']);
    expect(searched.paging.matchedPeers).toBe(1);
    const bobs: Info = await ok('GET', `${base}&subscriber=${bob.id}&pageSize=50`);
    expect(names(bobs)).toEqual(['bob phone']);
    // An id no subscriber has matches none; a non-id is refused, naming the field.
    const none: Info = await ok('GET', `${base}&subscriber=999999&pageSize=50`);
    expect(names(none)).toEqual([]);
    expect(none.paging.matchedPeers + none.paging.matchedRestrictedPeers).toBe(0);
    const bad = await send('GET', `${base}&subscriber=0`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().subject).toBe('subscriber');
  });
});
