import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateWgKeyPair } from '../../shared/keys.js';
import { Dump } from '../../shared/wire/agent-api.js';
import { AUTH, LedgerHarness } from '../testing/ledger-harness.js';

const confPath = (h: LedgerHarness) => join(h.dir, 'conf', 'wg0.conf');

describe('node ledger: totals that never go down (fake wg)', () => {
  let h: LedgerHarness;
  const peer = generateWgKeyPair().publicKey;
  beforeEach(async () => {
    h = await LedgerHarness.start();
    expect((await h.putPeer(peer)).statusCode).toBe(200);
  });
  afterEach(() => h.destroy());

  it('adds total_rx/total_tx and an epoch to the dump, keeping the raw counters', async () => {
    h.wg.addTraffic('wg0', peer, 1000, 200);
    const dump = await h.dump();
    expect(Value.Check(Dump, dump)).toBe(true);
    expect(dump.interface.epoch).toMatch(/^[\w-]{12}$/);
    expect(dump.peers[0]).toMatchObject({
      transfer_rx: 1000,
      transfer_tx: 200,
      total_rx: 1000,
      total_tx: 200,
    });
    expect(dump.enforcements).toEqual([]);
  });

  it('carries the read loop’s reading when it is at most a second old, and reads again after', async () => {
    h.wg.addTraffic('wg0', peer, 1000, 10);
    await h.loop.tick();
    h.wg.addTraffic('wg0', peer, 500, 5);
    // Within a second of the loop's reading: its totals, brought up to the dump's own raw counters
    // (a reader that counts one poll by raw counters and the next by totals counts nothing twice).
    expect((await h.dump()).peers[0]).toMatchObject({
      transfer_rx: 1500,
      transfer_tx: 15,
      total_rx: 1500,
      total_tx: 15,
    });
    expect(h.ledger.counters.interfaces.get('wg0')?.peers.get(peer)).toMatchObject({
      totalRx: 1000,
      totalTx: 10,
    });
    h.skewMs += 1_100; // older than a second: the dump reads the counters itself
    expect(await h.totals(peer)).toEqual([1500, 15]);
  });

  it('keeps counting across an interface down/up made outside the agent', async () => {
    h.wg.addTraffic('wg0', peer, 5000, 50);
    await h.loop.tick();
    await h.wg.quickDown(confPath(h)); // wg-quick down + up by an admin: counters restart
    await h.loop.tick();
    await h.wg.quickUp(confPath(h));
    h.wg.addTraffic('wg0', peer, 7000, 70);
    expect(await h.totals(peer)).toEqual([12_000, 120]);
    // Down and up between two readings: the new incarnation tells, even past the old counter.
    await h.wg.quickDown(confPath(h));
    await h.wg.quickUp(confPath(h));
    h.wg.addTraffic('wg0', peer, 9000, 0);
    expect(await h.totals(peer)).toEqual([21_000, 120]);
  });

  it('reads the counters before removing a peer or taking the interface down itself', async () => {
    h.wg.addTraffic('wg0', peer, 3000, 30); // no reading since: only the pre-removal read sees it
    const url = `/v1/wg/wg0/peers/${encodeURIComponent(peer)}`;
    expect((await h.app.inject({ method: 'DELETE', url, headers: AUTH })).statusCode).toBe(200);
    expect(h.ledger.counters.interfaces.get('wg0')?.peers.get(peer)).toMatchObject({
      totalRx: 3000,
      totalTx: 30,
    });
    expect((await h.putPeer(peer)).statusCode).toBe(200);
    h.wg.addTraffic('wg0', peer, 4000, 40);
    const down = await h.app.inject({ method: 'POST', url: '/v1/wg/wg0/down', headers: AUTH });
    expect(down.statusCode).toBe(200);
    await h.app.inject({ method: 'POST', url: '/v1/wg/wg0/up', headers: AUTH });
    h.wg.addTraffic('wg0', peer, 1, 1);
    expect(await h.totals(peer)).toEqual([7001, 71]);
  });

  it('keeps the totals and the epoch across a restart, saved atomically with mode 0600', async () => {
    h.wg.addTraffic('wg0', peer, 2000, 20);
    const { epoch } = (await h.dump()).interface;
    await h.ledger.flush();
    const file = join(h.dir, 'state', 'totals.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    h.wg.addTraffic('wg0', peer, 500, 5); // after the last save, then a crash
    await h.restart();
    expect((await h.dump()).interface.epoch).toBe(epoch);
    expect(await h.totals(peer)).toEqual([2500, 25]); // the raw counters still held the rest
    expect(JSON.parse(await readFile(file, 'utf8')).interfaces.wg0.epoch).toBe(epoch);
  });

  it('starts a new epoch when the totals file is lost, and after a reboot counts from zero', async () => {
    h.wg.addTraffic('wg0', peer, 2000, 20);
    const { epoch } = (await h.dump()).interface;
    await h.ledger.flush();
    await rm(join(h.dir, 'state', 'totals.json'));
    await h.restart();
    const dump = await h.dump();
    expect(dump.interface.epoch).not.toBe(epoch);
    expect(dump.peers[0]).toMatchObject({ total_rx: 2000, total_tx: 20 });
    await h.ledger.flush();
    // A reboot that happens to give the interface the same ifindex: counters restarted anyway.
    h.wg.ifaces.get('wg0')!.peers.get(peer)!.rx = 300;
    h.wg.ifaces.get('wg0')!.peers.get(peer)!.tx = 3000; // already past its old raw value
    h.bootId = 'boot-2';
    await h.restart();
    expect(await h.totals(peer)).toEqual([2300, 3020]);
  });
});

describe('node ledger: enforcement while the panel is away (fake wg)', () => {
  let h: LedgerHarness;
  const peer = generateWgKeyPair().publicKey;
  const other = generateWgKeyPair().publicKey;
  const allowances = (peers: object[], extra: object = {}) =>
    h.app.inject({
      method: 'PUT',
      url: '/v1/wg/wg0/allowances',
      headers: AUTH,
      payload: { grace_seconds: 30, peers, ...extra },
    });
  const enforcements = async () =>
    (await h.app.inject({ url: '/v1/wg/wg0/enforcements', headers: AUTH })).json().enforcements;
  const present = async () => (await h.dump()).peers.map((p) => p.public_key);

  beforeEach(async () => {
    h = await LedgerHarness.start();
    await h.putPeer(peer, '10.0.0.2/32');
    await h.putPeer(other, '10.0.0.3/32');
    h.wg.addTraffic('wg0', peer, 10_000, 0); // used before the allowance: not counted in it
  });
  afterEach(() => h.destroy());

  it('cuts a peer over its allowance only once the panel is away, and records it', async () => {
    const res = await allowances([
      { public_key: peer, remaining_bytes: 1000, expires_at: null },
      { public_key: other, remaining_bytes: null, expires_at: null },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    h.wg.addTraffic('wg0', peer, 600, 400); // crossed, but the panel is still there
    await h.loop.tick();
    expect(await present()).toContain(peer);
    h.skewMs = 31_000; // silent for longer than the grace
    h.wg.addTraffic('wg0', other, 10 ** 9, 0);
    await h.loop.tick();
    expect(h.wg.ifaces.get('wg0')?.peers.has(peer)).toBe(false);
    expect(await readFile(confPath(h), 'utf8')).not.toContain(peer);
    expect(h.wg.ifaces.get('wg0')?.peers.has(other)).toBe(true); // no limit: never cut
    const [rec] = await enforcements();
    expect(rec).toMatchObject({
      public_key: peer,
      reason: 'traffic_limit',
      total_rx: 10_600,
      total_tx: 400,
      used_bytes: 1000,
      remaining_bytes: 1000,
      expires_at: null,
    });
    expect(Date.parse(rec.at)).toBeGreaterThan(Date.now());
    expect((await h.dump()).enforcements).toEqual([rec]);
  });

  it('keeps a peer it cut cut, whatever allowance comes next, until the panel puts it back', async () => {
    await allowances([{ public_key: peer, remaining_bytes: 0, expires_at: null }]);
    h.skewMs = 31_000;
    await h.loop.tick();
    expect(await enforcements()).toHaveLength(1);
    await allowances([{ public_key: peer, remaining_bytes: 10 ** 12, expires_at: null }]);
    await h.loop.tick();
    expect(await present()).not.toContain(peer);
    await h.restart(); // the records survive a restart too
    const [rec] = await enforcements();
    expect(rec.public_key).toBe(peer);
    expect((await h.putPeer(peer)).statusCode).toBe(200); // the panel says so
    expect(await present()).toContain(peer);
    const ack = { method: 'POST' as const, url: '/v1/wg/wg0/enforcements/ack', headers: AUTH };
    for (let i = 0; i < 2; i++)
      expect((await h.app.inject({ ...ack, payload: { ids: [rec.id] } })).statusCode).toBe(200);
    expect(await enforcements()).toEqual([]);
  });

  it('cuts a peer whose date passed, and counts from the base the panel names', async () => {
    const { epoch } = (await h.dump()).interface;
    const past = new Date(Date.now() + 10_000).toISOString();
    await allowances(
      [
        { public_key: peer, remaining_bytes: null, expires_at: past },
        { public_key: other, remaining_bytes: 500, base_total: 0, expires_at: null },
      ],
      { epoch },
    );
    h.skewMs = 31_000;
    h.wg.addTraffic('wg0', other, 499, 0);
    await h.loop.tick();
    const reasons = (await enforcements()).map((r: { reason: string }) => r.reason);
    expect(reasons).toEqual(['expired']);
    h.wg.addTraffic('wg0', other, 1, 0); // 500 since base_total 0
    await h.loop.tick();
    expect(await present()).toEqual([]);
  });

  it('never counts metrics scrapes as the panel', async () => {
    await allowances([{ public_key: peer, remaining_bytes: 0, expires_at: null }]);
    h.ledger.enforcer.heardAt -= 31_000;
    await h.app.inject({ url: '/v1/metrics', headers: AUTH });
    await h.loop.tick();
    expect(await present()).not.toContain(peer);
  });

  it('refuses bad allowances with 400 naming the field, keeping the old ones', async () => {
    await allowances([{ public_key: peer, remaining_bytes: 5, expires_at: null }]);
    const cases: [object[], object, RegExp][] = [
      [[{ public_key: peer, remaining_bytes: -1, expires_at: null }], {}, /remaining_bytes/],
      [[{ public_key: peer, remaining_bytes: 1, expires_at: '2026-02-30' }], {}, /expires_at/],
      [
        [
          { public_key: peer, remaining_bytes: 1, expires_at: null },
          { public_key: peer, remaining_bytes: 2, expires_at: null },
        ],
        {},
        /peers\[1\]\.public_key/,
      ],
      [[{ public_key: 'nope', remaining_bytes: 1, expires_at: null }], {}, /public_key/],
      [[], { grace_seconds: 0 }, /grace_seconds/],
    ];
    for (const [peers, extra, message] of cases) {
      const res = await allowances(peers, extra);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    expect(h.ledger.enforcer.allowancesOf('wg0')?.peers.get(peer)?.remaining).toBe(5);
    const unknown = await h.app.inject({
      method: 'PUT',
      url: '/v1/wg/wg7/allowances',
      headers: AUTH,
      payload: { grace_seconds: 30, peers: [] },
    });
    expect(unknown.statusCode).toBe(404);
    const anon = await h.app.inject({
      method: 'PUT',
      url: '/v1/wg/wg0/allowances',
      payload: { grace_seconds: 30, peers: [] },
    });
    expect(anon.statusCode).toBe(401);
  });

  it('documents the allowance call in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ url: '/v1/openapi.json', headers: AUTH })).json();
    const put = doc.paths['/v1/wg/{interface}/allowances'].put;
    expect(put.description).toMatch(/only tighten/);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/wg/{interface}/enforcements',
        '/v1/wg/{interface}/enforcements/ack',
      ]),
    );
  });
});
