// Cross-site request forgery on a listening panel: a state-changing request authenticated by the
// session cookie is refused (403, nothing changed) when its Origin, or without one its Referer,
// names another origin, or its Sec-Fetch-Site is cross-site or same-site; the same request from
// the panel's own origin, or with none of these headers (a script with a cookie jar), goes
// through, and an API key is never subject to it. State changes are POST for a cookie session:
// GET toggleWireguardConfiguration (kept for WGDashboard scripts with an API key) and GET signout
// answer 405 to it.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { ADMIN, usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('cross-site requests with a session cookie', () => {
  const get = usePanel(sqlite, { realClock: true });
  let base = '';
  let cookie = '';

  const signIn = async () => {
    const res = await fetch(`${base}/api/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };
  beforeAll(async () => {
    base = await get().panel.app.listen({ host: '127.0.0.1', port: 0 });
    cookie = await signIn();
  });

  const newKey = (headers: Record<string, string>) =>
    fetch(`${base}/api/newDashboardAPIKey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ neverExpire: true }),
    });
  const keyCount = async () => {
    const res = await fetch(`${base}/api/getDashboardAPIKeys`, { headers: get().headers });
    return ((await res.json()) as { data: unknown[] }).data.length;
  };
  const sessionValid = async (c: string) =>
    (await fetch(`${base}/api/validateAuthentication`, { headers: { cookie: c } })).status === 200;

  it('refuses a cross-site POST with a valid cookie, and changes nothing', async () => {
    const before = await keyCount();
    const forged: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: base.replace('127.0.0.1', 'localhost') },
      { origin: base, 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { referer: 'https://evil.example/page' },
    ];
    for (const headers of forged) {
      const res = await newKey({ cookie, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({
        status: false,
        message: expect.stringMatching(/^cross-site request refused/),
      });
    }
    expect(await keyCount()).toBe(before);
  });

  it('accepts the same POST from its own origin and from a script without those headers', async () => {
    const before = await keyCount();
    const own: Record<string, string>[] = [
      { origin: base, 'sec-fetch-site': 'same-origin' },
      { referer: `${base}/settings` },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of own) {
      const res = await newKey({ cookie, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
    expect(await keyCount()).toBe(before + 4);
  });

  it('does not apply to an API key, whatever the headers', async () => {
    const res = await newKey({ ...get().headers, origin: 'https://evil.example' });
    expect(res.status).toBe(200);
  });

  it('answers 405 to a cookie session that GETs a state change; the API key may', async () => {
    const url = `${base}/api/toggleWireguardConfiguration?configurationName=nope`;
    const byCookie = await fetch(url, { headers: { cookie } });
    expect(byCookie.status).toBe(405);
    expect(await byCookie.json()).toMatchObject({ message: expect.stringMatching(/POST/) });
    // Past the method check: the configuration does not exist.
    expect((await fetch(url, { headers: get().headers })).status).toBe(404);
    expect((await fetch(url, { method: 'POST', headers: { cookie, origin: base } })).status).toBe(
      404,
    );
    expect(
      (await fetch(url, { method: 'POST', headers: { cookie, origin: 'https://x.example' } }))
        .status,
    ).toBe(403);
  });

  it('signs out with a same-origin POST only; a cross-site one leaves the session', async () => {
    const c = await signIn();
    expect((await fetch(`${base}/api/signout`, { headers: { cookie: c } })).status).toBe(405);
    const forged = await fetch(`${base}/api/signout`, {
      method: 'POST',
      headers: { cookie: c, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(await sessionValid(c)).toBe(true);
    const real = await fetch(`${base}/api/signout`, {
      method: 'POST',
      headers: { cookie: c, origin: base },
    });
    expect(real.status).toBe(200);
    expect(await sessionValid(c)).toBe(false);
  });
});
