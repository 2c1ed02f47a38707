import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with a salt and verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('login throttle', () => {
  it('lets a few failures through, then doubles the wait, and forgets on success', () => {
    const t = new LoginThrottle(2);
    const keys = ['user:admin', 'ip:1.2.3.4'];
    t.fail(keys, 0);
    t.fail(keys, 0);
    expect(t.retryAfterMs(keys, 0)).toBe(1000);
    expect(t.retryAfterMs(keys, 1000)).toBe(0);
    t.fail(keys, 1000);
    expect(t.retryAfterMs(keys, 1000)).toBe(2000);
    expect(t.retryAfterMs(['ip:5.6.7.8'], 1000)).toBe(0);
    t.succeed(keys);
    expect(t.retryAfterMs(keys, 1000)).toBe(0);
  });
});
