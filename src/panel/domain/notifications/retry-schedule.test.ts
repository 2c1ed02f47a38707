import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './retry-schedule.js';

const created = new Date('2026-01-01T00:00:00Z');

describe('nextAttemptAt', () => {
  it('retries the first failure within 5 s', () => {
    for (const r of [0, 0.5, 0.999]) {
      const at = nextAttemptAt(1, created, created, r)!;
      expect(at.getTime() - created.getTime()).toBeLessThanOrEqual(5_000);
      expect(at.getTime() - created.getTime()).toBeGreaterThanOrEqual(2_000);
    }
  });

  it('doubles the ceiling per attempt up to 10 minutes', () => {
    const wait = (n: number) =>
      nextAttemptAt(n, created, created, 0.999999)!.getTime() - created.getTime();
    expect(wait(2)).toBe(8_000);
    expect(wait(3)).toBe(16_000);
    expect(wait(20)).toBe(600_000);
  });

  it('gives up once the next wait would end after 24 h', () => {
    const late = new Date(created.getTime() + 24 * 3600_000 - 1000);
    expect(nextAttemptAt(50, created, late, 0.5)).toBeNull();
  });

  it('never waits longer than the cap nor less than half the ceiling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r) => {
          const at = nextAttemptAt(n, created, created, r);
          if (at === null) return;
          const wait = at.getTime() - created.getTime();
          expect(wait).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
          expect(wait).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.firstDelayMs / 2);
        },
      ),
    );
  });

  it('tries for about 24 h in all: at most a few hundred attempts', () => {
    let now = created;
    let n = 0;
    for (; n < 1000; n++) {
      const next = nextAttemptAt(n + 1, created, now, 0.5);
      if (next === null) break;
      now = next;
    }
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(400);
    expect(now.getTime() - created.getTime()).toBeGreaterThan(23 * 3600_000);
  });
});
