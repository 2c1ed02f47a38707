import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { ADMIN, usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)('panel auth on $name', (dialect) => {
  const get = usePanel(dialect);

  it('refuses every API call without a session or key, with the envelope and 401', async () => {
    const { panel } = get();
    for (const url of ['/api/handshake', '/api/getDashboardAPIKeys', '/api/openapi.json']) {
      const res = await panel.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toEqual({ status: false, message: expect.any(String), data: null });
    }
    const bad = await panel.app.inject({
      url: '/api/handshake',
      headers: { 'wg-dashboard-apikey': 'wgf_nope' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('signs in with a cookie that is HttpOnly and SameSite=Strict, and signs out', async () => {
    const { panel } = get();
    const wrong = await panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: { ...ADMIN, password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().status).toBe(false);
    const res = await panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: ADMIN,
    });
    expect(res.json()).toEqual({ status: true, message: null, data: null });
    const cookie = res.cookies.find((c) => c.name === 'wgfleet_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const cookies = { wgfleet_session: cookie?.value ?? '' };
    expect(
      (await panel.app.inject({ url: '/api/validateAuthentication', cookies })).statusCode,
    ).toBe(200);
    expect((await panel.app.inject({ url: '/api/handshake', cookies })).json()).toEqual({
      status: true,
      message: null,
      data: null,
    });
    const getOut = await panel.app.inject({ url: '/api/signout', cookies });
    expect(getOut.statusCode).toBe(405); // sign-out changes state: POST only
    expect(
      (await panel.app.inject({ url: '/api/validateAuthentication', cookies })).statusCode,
    ).toBe(200);
    expect(
      (await panel.app.inject({ method: 'POST', url: '/api/signout', cookies })).statusCode,
    ).toBe(200);
    const after = await panel.app.inject({ url: '/api/validateAuthentication', cookies });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ status: false, message: 'Invalid authentication.', data: null });
  });

  it('creates API keys shown once, stored hashed, and revokes them', async () => {
    const { panel, headers, database } = get();
    const created = await panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      headers,
      payload: { neverExpire: true },
    });
    const key = created.json().data.Key as string;
    expect(key).toMatch(/^wgf_[A-Za-z0-9_-]{43}$/);
    const rows = await database.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      key,
    );
    const list = await panel.app.inject({ url: '/api/getDashboardAPIKeys', headers });
    expect(list.body).not.toContain(key);
    expect(list.json().data.length).toBeGreaterThanOrEqual(2);
    expect(
      (await panel.app.inject({ url: '/api/handshake', headers: { 'wg-dashboard-apikey': key } }))
        .statusCode,
    ).toBe(200);
    const del = await panel.app.inject({
      method: 'POST',
      url: '/api/deleteDashboardAPIKey',
      headers,
      payload: { Key: key },
    });
    expect(del.json().status).toBe(true);
    expect(
      (await panel.app.inject({ url: '/api/handshake', headers: { 'wg-dashboard-apikey': key } }))
        .statusCode,
    ).toBe(401);
    const again = await panel.app.inject({
      method: 'POST',
      url: '/api/deleteDashboardAPIKey',
      headers,
      payload: { Key: key },
    });
    expect(again.statusCode).toBe(404);
  });

  it('refuses a key expiring in the past and a body with wrong types', async () => {
    const { panel, headers } = get();
    const past = await panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      headers,
      payload: { neverExpire: false, ExpiredAt: '2001-01-01 00:00:00' },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().message).toMatch(/ExpiredAt/);
    const wrong = await panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      headers,
      payload: { neverExpire: 'yes' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      status: false,
      message: expect.stringMatching(/neverExpire/),
    });
  });

  it('slows down repeated failed sign-ins', async () => {
    const { panel } = get();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++)
      codes.push(
        (
          await panel.app.inject({
            method: 'POST',
            url: '/api/authenticate',
            payload: { username: 'mallory', password: 'x' },
          })
        ).statusCode,
      );
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.at(-1)).toBe(429);
  });
});
