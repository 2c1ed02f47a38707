import { describe, expect, it } from 'vitest';
import { ConfigurationLock } from './configuration-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('ConfigurationLock', () => {
  it('runs tasks of one configuration one at a time, in order; others in parallel', async () => {
    const lock = new ConfigurationLock();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name}+`);
      await tick();
      log.push(`${name}-`);
    };
    await Promise.all([lock.run(1, task('a')), lock.run(1, task('b')), lock.run(2, task('c'))]);
    expect(log.indexOf('a-')).toBeLessThan(log.indexOf('b+'));
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-'));
  });

  it('keeps going after a failed task', async () => {
    const lock = new ConfigurationLock();
    await expect(lock.run(1, async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await lock.run(1, async () => 2)).toBe(2);
  });
});
