import { describe, expect, it } from 'vitest';
import { shapedSpeed, slower } from './quotas.js';

describe("a subscriber's peer's speed", () => {
  it('is the slower of its own and its subscriber’s, null meaning not shaped', () => {
    expect(slower(null, null)).toBeNull();
    expect(slower(5_000_000n, null)).toBe(5_000_000n);
    expect(slower(null, 2_000_000n)).toBe(2_000_000n);
    expect(slower(5_000_000n, 2_000_000n)).toBe(2_000_000n);
    expect(slower(1_000_000n, 2_000_000n)).toBe(1_000_000n);
  });

  it('a throttled subscriber slows a peer with its own faster limit to the throttle speed', () => {
    const own = shapedSpeed(10_000_000n, null, false);
    const subscriber = shapedSpeed(20_000_000n, 1_000_000n, true);
    expect(slower(own, subscriber)).toBe(1_000_000n);
    // Back at full speed: the peer's own limit again.
    expect(slower(own, shapedSpeed(20_000_000n, 1_000_000n, false))).toBe(10_000_000n);
  });
});
