import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_BACKOFF_MS } from './backoff.js';

describe('backoffDelay', () => {
  it('waits one interval after the first failure, then doubles up to the cap', () => {
    expect([0, 1, 2, 3, 4].map((f) => backoffDelay(f, 10_000))).toEqual([
      10_000, 10_000, 20_000, 40_000, 80_000,
    ]);
    expect(backoffDelay(6, 10_000)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(1000, 10_000)).toBe(MAX_BACKOFF_MS);
  });
  it('never waits less than the interval, even above the cap', () => {
    expect(backoffDelay(3, 600_000)).toBe(600_000);
  });
});
