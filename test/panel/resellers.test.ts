import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

const DAY = 86_400_000;

describe.each(DIALECTS_UNDER_TEST)('resellers on $name', (dialect) => {
  const get = usePanel(dialect);

  /** A reseller with these limits, and an API key acting as it. */
  async function reseller(username: string, limits: Record<string, unknown>) {
    const { panel, headers } = get();
    const password = `${username}-password`;
    const added = await panel.app.inject({
      method: 'POST',
      url: '/api/addUser',
      headers,
      payload: { username, password, role: 'reseller', limits },
    });
    expect(added.statusCode, added.body).toBe(200);
    const signIn = await panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: { username, password },
    });
    const cookie = signIn.cookies.find((c) => c.name === 'wgfleet_session')!.value;
    const key = await panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      cookies: { wgfleet_session: cookie },
      payload: { NeverExpire: true, name: 'shop' },
    });
    return {
      id: (added.json() as { data: { id: number } }).data.id,
      headers: { 'wg-dashboard-apikey': (key.json() as { data: { Key: string } }).data.Key },
    };
  }

  const add = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    get().panel.app.inject({ method: 'POST', url: '/api/addSubscriber', headers, payload });
  const account = async (headers: Record<string, string>) =>
    (await get().panel.app.inject({ url: '/api/getAccount', headers })).json().data as {
      role: string;
      limits: Record<string, unknown>;
      used: { subscribers: number; traffic_bytes: number };
    };

  it('20 creates at once: exactly those the balance holds succeed, the others hear what is left', async () => {
    const { clock } = get();
    const r = await reseller('shop-bytes', { balance_bytes: 10_000, balance_days: 1_000 });
    const expiry = new Date(clock.now().getTime() + 5 * DAY).toISOString();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        add(r.headers, { name: `bytes-${i}`, traffic_limit: 1000, expiry_date: expiry }),
      ),
    );
    const ok = answers.filter((a) => a.statusCode === 200);
    const refused = answers.filter((a) => a.statusCode !== 200);
    expect(ok).toHaveLength(10);
    for (const a of refused) {
      expect(a.statusCode).toBe(409);
      expect(a.json()).toMatchObject({
        status: false,
        message: 'traffic_limit: needs 1000 bytes of your balance; 0 are left',
      });
    }
    const me = await account(r.headers);
    expect(me).toMatchObject({
      role: 'reseller',
      limits: { balance_bytes: 0, balance_days: 1_000 - 10 * 5 },
      used: { subscribers: 10, traffic_bytes: 10_000 },
    });
  });

  it('20 creates at once against the most subscribers and the total traffic', async () => {
    const few = await reseller('shop-few', { max_subscribers: 3 });
    const a = await Promise.all(
      Array.from({ length: 20 }, (_, i) => add(few.headers, { name: `few-${i}` })),
    );
    expect(a.filter((x) => x.statusCode === 200)).toHaveLength(3);
    expect(a.filter((x) => x.statusCode === 409)).toHaveLength(17);
    const total = await reseller('shop-total', { max_traffic_bytes: 7_000 });
    const b = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        add(total.headers, { name: `total-${i}`, traffic_limit: 1000 }),
      ),
    );
    expect(b.filter((x) => x.statusCode === 200)).toHaveLength(7);
    expect((await account(total.headers)).used).toEqual({ subscribers: 7, traffic_bytes: 7_000 });
  });

  it('sees and touches only its own subscribers; other configurations are refused unnamed', async () => {
    const { panel, headers } = get();
    const r = await reseller('shop-own', { balance_days: 30, max_expiry_days: 10 });
    const theirs = await add(headers, { name: 'admins-own' });
    const theirId = (theirs.json() as { data: { id: number } }).data.id;
    const mine = await add(r.headers, {
      name: 'resellers-own',
      expiry_date: new Date(get().clock.now().getTime() + 3 * DAY).toISOString(),
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const list = await panel.app.inject({ url: '/api/getSubscribers', headers: r.headers });
    const names = (list.json().data.subscribers as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(['resellers-own']);
    const before = await get().database.db.selectFrom('subscribers').selectAll().execute();
    for (const [method, url, payload] of [
      ['GET', `/api/getSubscriber?id=${theirId}`, undefined],
      ['POST', '/api/updateSubscriber', { id: theirId, note: 'mine now' }],
      ['POST', '/api/deleteSubscriber', { id: theirId, delete_peers: false }],
      ['POST', '/api/restrictSubscriber', { id: theirId }],
      ['POST', '/api/rotateSubscriberToken', { id: theirId }],
    ] as const) {
      const res = await panel.app.inject({
        method,
        url,
        headers: r.headers,
        ...(payload && { payload }),
      });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().message).toBe(`id: subscriber ${theirId} not found`);
    }
    // The same answer as for an id nobody has.
    const nobody = await panel.app.inject({
      url: '/api/getSubscriber?id=999999',
      headers: r.headers,
    });
    expect(nobody.statusCode).toBe(404);
    const peers = await add(r.headers, {
      name: 'elsewhere',
      expiry_date: new Date(get().clock.now().getTime() + DAY).toISOString(),
      peers: [{ configuration: 'wg-not-mine' }],
    });
    expect(peers.statusCode).toBe(403);
    expect(peers.json().message).toBe('peers[0].configuration: not one of your configurations');
    // Too far, and an extension that spends its days.
    const far = await add(r.headers, {
      name: 'far',
      expiry_date: new Date(get().clock.now().getTime() + 11 * DAY).toISOString(),
    });
    expect(far.statusCode).toBe(409);
    const myId = (mine.json() as { data: { id: number } }).data.id;
    const extended = await panel.app.inject({
      method: 'POST',
      url: '/api/updateSubscriber',
      headers: r.headers,
      payload: {
        id: myId,
        expiry_date: new Date(get().clock.now().getTime() + 7 * DAY).toISOString(),
      },
    });
    expect(extended.statusCode, extended.body).toBe(200);
    expect((await account(r.headers)).limits.balance_days).toBe(30 - 3 - 4);
    const after = await get()
      .database.db.selectFrom('subscribers')
      .selectAll()
      .where('id', '=', theirId)
      .execute();
    expect(JSON.stringify(after, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(
      JSON.stringify(
        before.filter((s) => s.id === theirId),
        (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
      ),
    );
  });
});
