import { describe, expect, it } from 'vitest';
import { PanelError } from '../errors.js';
import { AuthService, type AuthStore } from './auth-service.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { LoginThrottle } from './login-throttle.js';

/** A store holding one user; sessions are only counted. */
function oneUserStore(): AuthStore & { sessions: number } {
  const store = {
    sessions: 0,
    findUser: async (username: string) =>
      username === 'admin' ? { id: 1, username, passwordHash: 'right' } : null,
    createSession: async () => {
      store.sessions++;
    },
  };
  return store as unknown as AuthStore & { sessions: number };
}

/** A password check that counts its calls and the most running at once. */
function countingVerify() {
  const c = { calls: 0, running: 0, maxRunning: 0 };
  const verify = async (password: string, stored: string) => {
    c.calls++;
    c.running++;
    c.maxRunning = Math.max(c.maxRunning, c.running);
    await new Promise((r) => setTimeout(r, 5));
    c.running--;
    return password === stored;
  };
  return { c, verify };
}

const codeOf = (e: unknown) => (e instanceof PanelError ? e.code : String(e));

describe('AuthService.signIn under concurrency', () => {
  it('reserves attempts before hashing: 5 failures then 40 at once hash at most once', async () => {
    const { c, verify } = countingVerify();
    const auth = new AuthService(oneUserStore(), new LoginThrottle(), { sessionTtlMs: 1, verify });
    const now = new Date(0);
    for (let i = 0; i < 5; i++)
      await expect(auth.signIn('admin', 'wrong', '10.0.0.1', now)).rejects.toThrow(/incorrect/);
    expect(c.calls).toBe(5);
    const later = new Date(5_000); // past the first delay: one more attempt may be checked
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => auth.signIn('admin', 'wrong', '10.0.0.1', later)),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? codeOf(r.reason) : 'ok'));
    expect(codes.filter((x) => x === 'too_many_requests').length).toBeGreaterThanOrEqual(39);
    expect(c.calls).toBeLessThanOrEqual(6);
    const throttled = results.find(
      (r) => r.status === 'rejected' && codeOf(r.reason) === 'too_many_requests',
    ) as PromiseRejectedResult;
    expect((throttled.reason as PanelError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('runs at most the gate limit of hashes at once and refuses beyond its queue', async () => {
    const { c, verify } = countingVerify();
    const auth = new AuthService(oneUserStore(), new LoginThrottle(), {
      sessionTtlMs: 1,
      verify,
      hashGate: new ConcurrencyGate(2, 3),
    });
    // 10 different users from 10 addresses: the throttle lets each through, the gate does not.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => auth.signIn(`u${i}`, 'x', `10.0.1.${i}`, new Date(0))),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? codeOf(r.reason) : 'ok'));
    expect(c.maxRunning).toBe(2);
    expect(c.calls).toBe(5);
    expect(codes.filter((x) => x === 'unauthorized')).toHaveLength(5);
    expect(codes.filter((x) => x === 'too_many_requests')).toHaveLength(5);
  });

  it('still signs in with the right password, and clears the failures', async () => {
    const { verify } = countingVerify();
    const store = oneUserStore();
    const auth = new AuthService(store, new LoginThrottle(), { sessionTtlMs: 1, verify });
    await expect(auth.signIn('admin', 'wrong', '10.0.0.2', new Date(0))).rejects.toThrow();
    await expect(auth.signIn('admin', 'right', '10.0.0.2', new Date(0))).resolves.toEqual(
      expect.any(String),
    );
    expect(store.sessions).toBe(1);
  });
});
