// The sign-in throttle on a listening panel: after 5 wrong passwords, 40 attempts sent at once
// are answered 429 with Retry-After, and at most one of them had its password hashed (only a
// checked password can answer 401).
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { ADMIN, usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('sign-in throttle under concurrency', () => {
  const get = usePanel(sqlite, { realClock: true });
  let base = '';
  beforeAll(async () => {
    base = await get().panel.app.listen({ host: '127.0.0.1', port: 0 });
  });
  const signIn = (password: string) =>
    fetch(`${base}/api/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: ADMIN.username, password }),
    });

  it('answers 429 with Retry-After to a burst after 5 failures, hashing at most one', async () => {
    // usePanel signed in once (a success clears the throttle); 5 failures in a row now.
    for (let i = 0; i < 5; i++) expect((await signIn(`wrong-${i}`)).status).toBe(401);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(`burst-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(39);
    const limited = answers.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({
      status: false,
      message: expect.stringMatching(/too many failed sign-ins/),
    });
    // The right password is refused too while the wait lasts: nothing is checked.
    expect((await signIn(ADMIN.password)).status).toBe(429);
  });
});
