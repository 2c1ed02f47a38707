import { describe, expect, it } from 'vitest';
import { totpCode } from '../../src/panel/app/auth/totp.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

const USER = { username: 'totp-user', password: 'totp-user-password' };

describe.each(DIALECTS_UNDER_TEST)('TOTP on $name', (dialect) => {
  const get = usePanel(dialect);

  const signIn = (body: Record<string, string>) =>
    get().panel.app.inject({ method: 'POST', url: '/api/authenticate', payload: body });
  const session = async (body: Record<string, string>) => {
    const res = await signIn(body);
    expect(res.statusCode, res.body).toBe(200);
    return { wgfleet_session: res.cookies.find((c) => c.name === 'wgfleet_session')!.value };
  };

  it('enrols with a QR code and a code, asks for it at sign-in, takes a recovery code once', async () => {
    const { panel, headers, clock } = get();
    const inject = panel.app.inject.bind(panel.app);
    expect(
      (
        await inject({
          method: 'POST',
          url: '/api/addUser',
          headers,
          payload: { ...USER, role: 'operator' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await inject({ url: '/api/isTotpEnabled' })).json().data).toBe(false);
    const cookies = await session(USER);

    const begun = await inject({ method: 'POST', url: '/api/totp/begin', cookies });
    expect(begun.statusCode, begun.body).toBe(200);
    const { secret, otpauth_url, qr } = begun.json().data as {
      secret: string;
      otpauth_url: string;
      qr: string;
    };
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(otpauth_url.startsWith(`otpauth://totp/wgfleet:${USER.username}?`)).toBe(true);
    expect(new URL(otpauth_url).searchParams.get('secret')).toBe(secret);
    expect(qr.startsWith('data:image/png;base64,')).toBe(true);
    // Not asked before it is confirmed.
    await session(USER);

    const wrong = await inject({
      method: 'POST',
      url: '/api/totp/confirm',
      cookies,
      payload: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ status: false, subject: 'code' });
    const confirmed = await inject({
      method: 'POST',
      url: '/api/totp/confirm',
      cookies,
      payload: { code: await totpCode(secret, clock.now()) },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes = confirmed.json().data.recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await inject({ url: '/api/isTotpEnabled' })).json().data).toBe(true);
    const account = await inject({ url: '/api/getAccount', cookies });
    expect(account.json().data).toMatchObject({ username: USER.username, totp_enabled: true });

    // Sign-in asks for the code (WGDashboard 4.3's `totp` field and message).
    const without = await signIn(USER);
    expect(without.statusCode).toBe(401);
    expect(without.json().message).toBe('Sorry, your username, password or OTP is incorrect.');
    expect((await signIn({ ...USER, totp: '123456' })).statusCode).toBe(401);
    const first = await totpCode(secret, clock.now());
    await session({ ...USER, totp: first });
    // A code is good once: the same code again inside its window is a replay, refused.
    expect((await signIn({ ...USER, totp: first })).statusCode).toBe(401);
    // A code of the step before still works (a clock 30 s off); two steps back does not.
    clock.advance(60_000);
    const previous = await totpCode(secret, new Date(clock.now().getTime() - 30_000));
    await session({ ...USER, totp: previous });
    expect((await signIn({ ...USER, totp: previous })).statusCode).toBe(401);
    const old = await totpCode(secret, new Date(clock.now().getTime() - 60_000));
    expect((await signIn({ ...USER, totp: old })).statusCode).toBe(401);
    // A recovery code works once.
    await session({ ...USER, totp: codes[0]! });
    expect((await signIn({ ...USER, totp: codes[0]! })).statusCode).toBe(401);
    await session({ ...USER, totp: codes[1]!.toUpperCase() });

    // The secret is sealed in the database, never stored in clear.
    const row = await get()
      .database.db.selectFrom('users')
      .select('totp_secret')
      .where('username', '=', USER.username)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_secret?.startsWith('enc:')).toBe(true);

    // Begin again is refused while on; disable takes a code.
    expect((await inject({ method: 'POST', url: '/api/totp/begin', cookies })).statusCode).toBe(
      409,
    );
    const badOff = await inject({
      method: 'POST',
      url: '/api/totp/disable',
      cookies,
      payload: { code: '111111' },
    });
    expect(badOff.statusCode).toBe(400);
    const off = await inject({
      method: 'POST',
      url: '/api/totp/disable',
      cookies,
      payload: { code: await totpCode(secret, clock.now()) },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await inject({ url: '/api/isTotpEnabled' })).json().data).toBe(false);
    await session(USER);
    const left = await get().database.db.selectFrom('user_recovery_codes').select('id').execute();
    expect(left).toEqual([]);
  });

  it('throttles wrong codes like wrong passwords', async () => {
    const { panel, headers, clock } = get();
    const user = { username: 'totp-throttled', password: 'totp-throttled-password' };
    await panel.app.inject({
      method: 'POST',
      url: '/api/addUser',
      headers,
      payload: { ...user, role: 'viewer' },
    });
    const cookies = await session(user);
    const { secret } = (
      await panel.app.inject({ method: 'POST', url: '/api/totp/begin', cookies })
    ).json().data as { secret: string };
    await panel.app.inject({
      method: 'POST',
      url: '/api/totp/confirm',
      cookies,
      payload: { code: await totpCode(secret, clock.now()) },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await signIn({ ...user, totp: '000000' })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right code waits its turn.
    expect((await signIn({ ...user, totp: await totpCode(secret, clock.now()) })).statusCode).toBe(
      429,
    );
  });
});
