import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { ADMIN, usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)('users and accounts on $name', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: object, headers = get().headers) =>
    get().panel.app.inject({ method: 'POST', url, headers, payload });

  it('adds users, refuses bad fields by name, never removes the last admin', async () => {
    const short = await post('/api/addUser', { username: 'u1', password: 'short', role: 'viewer' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ status: false, subject: 'password' });
    const limits = await post('/api/addUser', {
      username: 'u1',
      password: 'long-enough',
      role: 'viewer',
      limits: { balance_days: 1 },
    });
    expect(limits.json()).toMatchObject({ status: false, subject: 'limits' });
    const unknown = await post('/api/addUser', {
      username: 'u2',
      password: 'long-enough',
      role: 'reseller',
      limits: { configurations: ['wg-none'] },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().subject).toBe('limits.configurations[0]');
    expect((await get().database.db.selectFrom('users').select('id').execute()).length).toBe(1);

    const users = (
      await get().panel.app.inject({ url: '/api/getUsers', headers: get().headers })
    ).json().data as { id: number; username: string }[];
    const admin = users.find((u) => u.username === ADMIN.username)!;
    expect((await post('/api/deleteUser', { id: admin.id })).statusCode).toBe(409);
    expect((await post('/api/updateUser', { id: admin.id, role: 'viewer' })).statusCode).toBe(409);
    expect((await post('/api/updateUser', { id: admin.id, disabled: true })).statusCode).toBe(409);
    const taken = await post('/api/addUser', {
      username: ADMIN.username,
      password: 'long-enough',
      role: 'viewer',
    });
    expect(taken.statusCode).toBe(409);
  });

  it('changes its own password after the current one; a disabled user is refused', async () => {
    const added = await post('/api/addUser', {
      username: 'self',
      password: 'first-password',
      role: 'operator',
    });
    const id = (added.json() as { data: { id: number } }).data.id;
    const signIn = (password: string) =>
      get().panel.app.inject({
        method: 'POST',
        url: '/api/authenticate',
        payload: { username: 'self', password },
      });
    const cookie = (await signIn('first-password')).cookies.find(
      (c) => c.name === 'wgfleet_session',
    )!.value;
    const session = { wgfleet_session: cookie };
    const wrong = await get().panel.app.inject({
      method: 'POST',
      url: '/api/updateAccount',
      cookies: session,
      payload: { current_password: 'not-it', password: 'second-password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().subject).toBe('current_password');
    const changed = await get().panel.app.inject({
      method: 'POST',
      url: '/api/updateAccount',
      cookies: session,
      payload: { current_password: 'first-password', password: 'second-password' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await signIn('first-password')).statusCode).toBe(401);
    expect((await signIn('second-password')).statusCode).toBe(200);
    expect((await post('/api/updateUser', { id, disabled: true })).statusCode).toBe(200);
    expect((await signIn('second-password')).statusCode).toBe(401);
    const after = await get().panel.app.inject({ url: '/api/getAccount', cookies: session });
    expect(after.statusCode).toBe(401);
  });
});
