import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observeTotals, type CounterObservation } from './ledger.js';

/**
 * A model of one peer on a node whose agent keeps totals: traffic moves both the raw counters and
 * the totals; an interface reset outside the agent zeroes the raw counters (the totals go on); a
 * new epoch (the agent lost its totals file) zeroes the totals (the raw counters go on); a poll
 * is ingested once or twice (a retried poll sees the same dump again).
 */
type Step =
  | { kind: 'traffic'; rx: bigint; tx: bigint }
  | { kind: 'reset' }
  | { kind: 'epoch' }
  | { kind: 'poll'; times: 1 | 2 };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('traffic' as const),
      rx: fc.bigInt(0n, 2n ** 40n),
      tx: fc.bigInt(0n, 2n ** 40n),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'epoch' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('poll' as const), times: fc.constantFrom(1, 2) }),
  },
);

/** The panel's side of one peer: what ingest.ts keeps per peer, and the usage it counted. */
class PanelPeer {
  lastRx: bigint | null = 0n;
  lastTx: bigint | null = 0n;
  stored = { epoch: null as string | null, rx: null as bigint | null, tx: null as bigint | null };
  used = 0n;
  readonly #o: CounterObservation = { deltaRx: 0n, deltaTx: 0n, moved: false };

  observe(raw: { rx: bigint; tx: bigint }, epoch: string, total: { rx: bigint; tx: bigint }) {
    const o = observeTotals(
      this.#o,
      this.lastRx,
      this.lastTx,
      raw.rx,
      raw.tx,
      false,
      this.stored,
      epoch,
      total.rx,
      total.tx,
    );
    expect(o.deltaRx >= 0n && o.deltaTx >= 0n).toBe(true);
    if (!o.moved) return 0n;
    this.used += o.deltaRx + o.deltaTx;
    [this.lastRx, this.lastTx] = [raw.rx, raw.tx];
    this.stored = { epoch, rx: total.rx, tx: total.tx };
    return o.deltaRx + o.deltaTx;
  }
}

describe('usage ledger with the agent totals', () => {
  it('counts every byte once across interface resets, retried polls and epoch changes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const panel = new PanelPeer();
        let raw = { rx: 0n, tx: 0n };
        let total = { rx: 0n, tx: 0n };
        let epoch = 'epoch-0';
        let epochs = 0;
        let sent = 0n;
        // Traffic since a new epoch is counted by the raw counters (the fallback): bytes on raw
        // counters reset before the next poll cannot be known, so the model polls first then. So
        // is the traffic before the first poll (no totals stored yet).
        let fallback = true;
        // Likewise a new epoch right after a reset of the raw counters: both restarted, nothing
        // can tell what moved in between (the agent's read interval bounds it).
        let wasReset = false;
        const poll = () => {
          panel.observe(raw, epoch, total);
          fallback = false;
          wasReset = false;
        };
        for (const s of steps) {
          if (s.kind === 'traffic') {
            raw = { rx: raw.rx + s.rx, tx: raw.tx + s.tx };
            total = { rx: total.rx + s.rx, tx: total.tx + s.tx };
            sent += s.rx + s.tx;
          } else if (s.kind === 'reset') {
            if (fallback) poll();
            raw = { rx: 0n, tx: 0n };
            wasReset = true;
          } else if (s.kind === 'epoch') {
            if (fallback || wasReset) poll();
            epoch = `epoch-${++epochs}`;
            total = { rx: 0n, tx: 0n };
            fallback = true;
          } else {
            poll();
            if (s.times === 2) expect(panel.observe(raw, epoch, total)).toBe(0n);
          }
        }
        poll();
        expect(panel.used).toBe(sent);
      }),
    );
  });

  it('counts by the totals within an epoch, even when the raw counters climbed past the old value', () => {
    const p = new PanelPeer();
    p.observe({ rx: 100n, tx: 100n }, 'e', { rx: 5000n, tx: 5000n }); // baseline: raw delta 200
    expect(p.used).toBe(200n);
    // The interface was reset and 900 bytes moved since: the raw counters alone would say 800.
    expect(p.observe({ rx: 500n, tx: 400n }, 'e', { rx: 5500n, tx: 5400n })).toBe(900n);
  });

  it('falls back to the raw counters on another epoch and takes its totals as the baseline', () => {
    const p = new PanelPeer();
    p.observe({ rx: 0n, tx: 0n }, 'a', { rx: 10n, tx: 10n });
    expect(p.observe({ rx: 30n, tx: 0n }, 'b', { rx: 7n, tx: 7n })).toBe(30n);
    expect(p.stored).toEqual({ epoch: 'b', rx: 7n, tx: 7n });
    expect(p.observe({ rx: 40n, tx: 0n }, 'b', { rx: 17n, tx: 7n })).toBe(10n);
  });

  it('falls back when a total went down within an epoch (never a negative delta)', () => {
    const p = new PanelPeer();
    p.observe({ rx: 0n, tx: 0n }, 'a', { rx: 100n, tx: 100n });
    expect(p.observe({ rx: 5n, tx: 5n }, 'a', { rx: 50n, tx: 100n })).toBe(10n);
  });

  it('takes the first totals of a peer with no raw baseline as a baseline, not as usage', () => {
    const p = new PanelPeer();
    p.lastRx = null;
    p.lastTx = null;
    expect(p.observe({ rx: 70n, tx: 70n }, 'a', { rx: 900n, tx: 900n })).toBe(0n);
    expect(p.observe({ rx: 80n, tx: 70n }, 'a', { rx: 910n, tx: 905n })).toBe(15n);
  });
});
