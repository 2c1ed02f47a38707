import { describe, expect, it } from 'vitest';
import { cutReason, panelAway } from './allowance.js';

describe('allowance decisions', () => {
  it('cuts at usage ≥ remaining, counted from the base', () => {
    const a = { remaining: 1000, base: 5000, expiresAt: null };
    expect(cutReason(a, 5999, 0)).toBeNull();
    expect(cutReason(a, 6000, 0)).toBe('traffic_limit');
    expect(cutReason({ ...a, remaining: null }, 10 ** 12, 0)).toBeNull();
    expect(cutReason({ ...a, remaining: 0 }, 5000, 0)).toBe('traffic_limit');
  });

  it('cuts from the expiry on, and expired wins over the limit', () => {
    const a = { remaining: 10, base: 0, expiresAt: 1_000 };
    expect(cutReason(a, 0, 999)).toBeNull();
    expect(cutReason(a, 0, 1_000)).toBe('expired');
    expect(cutReason(a, 50, 1_000)).toBe('expired');
  });

  it('calls the panel away only after the grace, and never before it was heard', () => {
    expect(panelAway(null, 30_000, 10 ** 12)).toBe(false);
    expect(panelAway(1_000, 30_000, 31_000)).toBe(false);
    expect(panelAway(1_000, 30_000, 31_001)).toBe(true);
  });
});
