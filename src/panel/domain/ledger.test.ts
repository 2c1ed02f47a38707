import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_USAGE,
  ingest,
  observeCounters,
  periodTotal,
  resetPeriod,
  restartedCounters,
  type PeerUsage,
} from './ledger.js';

/**
 * A model of one peer's life on WireGuard: traffic moves the raw counters; a restart (interface
 * restart, restrict + restore, agent restart re-adding it) zeroes them; polls observe them.
 */
type Step = { kind: 'traffic'; rx: bigint; tx: bigint } | { kind: 'restart' } | { kind: 'poll' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('traffic' as const),
      rx: fc.bigInt(0n, 2n ** 40n),
      tx: fc.bigInt(0n, 2n ** 40n),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
);

describe('usage ledger', () => {
  it('never loses or doubles observed bytes across counter restarts', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        let usage: PeerUsage = EMPTY_USAGE;
        let raw = { rx: 0n, tx: 0n };
        let sent = { rx: 0n, tx: 0n };
        let restarted = false;
        for (const s of steps) {
          if (s.kind === 'traffic') {
            raw = { rx: raw.rx + s.rx, tx: raw.tx + s.tx };
            sent = { rx: sent.rx + s.rx, tx: sent.tx + s.tx };
          } else if (s.kind === 'restart') {
            // Bytes on a counter that is destroyed before anyone reads it cannot be known: the
            // panel reads the counters right before it removes a peer, so observe them first.
            usage = ingest(usage, raw, restarted).usage;
            restarted = true;
            raw = { rx: 0n, tx: 0n };
          } else {
            usage = ingest(usage, raw, restarted).usage;
            restarted = false;
          }
        }
        usage = ingest(usage, raw, restarted).usage;
        expect(usage.lifetimeRx).toBe(sent.rx);
        expect(usage.lifetimeTx).toBe(sent.tx);
        expect(periodTotal(usage)).toBe(sent.rx + sent.tx);
      }),
    );
  });

  it('counts a restart it is not told about when the counter went down', () => {
    let usage = ingest(EMPTY_USAGE, { rx: 9000n, tx: 9000n }).usage;
    usage = ingest(usage, { rx: 100n, tx: 0n }).usage; // interface restarted, 100 bytes since
    expect(periodTotal(usage)).toBe(18100n);
  });

  it('never produces a negative delta, whatever the counters do', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ rx: fc.bigInt(0n, 2n ** 64n - 1n), tx: fc.bigInt(0n, 2n ** 64n - 1n) }),
        ),
        (seq) => {
          let usage: PeerUsage = EMPTY_USAGE;
          for (const raw of seq) {
            const r = ingest(usage, raw);
            expect(r.deltaRx >= 0n && r.deltaTx >= 0n).toBe(true);
            expect(r.usage.lifetimeRx).toBe(usage.lifetimeRx + r.deltaRx);
            usage = r.usage;
          }
        },
      ),
    );
  });

  it('is idempotent: observing the same counters twice adds nothing', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 2n ** 50n), fc.bigInt(0n, 2n ** 50n), (rx, tx) => {
        const once = ingest(EMPTY_USAGE, { rx, tx });
        const twice = ingest(once.usage, { rx, tx });
        expect(twice.usage).toBe(once.usage);
        expect(twice.deltaRx + twice.deltaTx).toBe(0n);
      }),
    );
  });

  it('takes the first counters of an adopted peer as a baseline, not as usage', () => {
    const adopted: PeerUsage = { ...EMPTY_USAGE, lastRaw: null };
    const first = ingest(adopted, { rx: 5000n, tx: 7000n }).usage;
    expect(periodTotal(first)).toBe(0n);
    expect(periodTotal(ingest(first, { rx: 5100n, tx: 7000n }).usage)).toBe(100n);
  });

  it('neither drops nor doubles usage across restrict + restore', () => {
    let usage = ingest(EMPTY_USAGE, { rx: 1000n, tx: 500n }).usage; // 1500 used
    usage = restartedCounters(usage); // restored: re-added with fresh counters
    usage = ingest(usage, { rx: 10n, tx: 20n }).usage;
    expect(periodTotal(usage)).toBe(1530n);
    expect(periodTotal(resetPeriod(usage))).toBe(0n);
    expect(resetPeriod(usage).lifetimeRx).toBe(1010n);
  });

  it('observes counters into a scratch object exactly as ingest computes them', () => {
    const counter = fc.bigInt(0n, 2n ** 63n - 1n);
    fc.assert(
      fc.property(
        fc.option(fc.record({ rx: counter, tx: counter }), { nil: null }),
        fc.record({ rx: counter, tx: counter }),
        fc.boolean(),
        (lastRaw, raw, restarted) => {
          const usage: PeerUsage = { ...EMPTY_USAGE, lastRaw };
          const r = ingest(usage, raw, restarted);
          const scratch = { deltaRx: -1n, deltaTx: -1n, moved: false };
          const o = observeCounters(
            scratch,
            lastRaw?.rx ?? null,
            lastRaw?.tx ?? null,
            raw.rx,
            raw.tx,
            restarted,
          );
          expect(o).toBe(scratch);
          expect([o.deltaRx, o.deltaTx, o.moved]).toEqual([
            r.deltaRx,
            r.deltaTx,
            r.usage !== usage,
          ]);
        },
      ),
    );
  });
});
