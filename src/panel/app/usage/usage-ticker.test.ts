import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageTicker } from './usage-ticker.js';

describe('UsageTicker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the enforcement interval after every pass (a new setting needs no restart)', async () => {
    let intervalMs = 10_000;
    let passes = 0;
    const ticker = new UsageTicker({
      policyTick: async () => void passes++,
      nextExpiry: async () => null,
      maintain: async () => undefined,
      now: () => new Date(0),
      logger: pino({ level: 'silent' }),
      maxIntervalMs: () => intervalMs,
    });
    ticker.start();
    await vi.advanceTimersByTimeAsync(1000); // the first pass, a second after start
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(passes).toBe(3);
    intervalMs = 60_000; // planned already: the next pass is in 10 s, later ones 60 s apart
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes).toBe(4);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(passes).toBe(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(5);
    intervalMs = 5000;
    ticker.nudge(); // what a settings change does: re-plans at once with the new interval
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(6);
    await vi.advanceTimersByTimeAsync(5000);
    expect(passes).toBe(7);
    await ticker.stop();
  });
});
