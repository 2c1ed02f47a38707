import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutDelta } from './ledger.js';

const cut = (rx: bigint, tx: bigint, used: bigint, epoch = 'e1') => ({
  epoch,
  totalRx: rx,
  totalTx: tx,
  usedBytes: used,
});

describe('usage a node cut adds', () => {
  it('within the stored epoch: the totals beyond what was counted, once', () => {
    const stored = { epoch: 'e1', rx: 1000n, tx: 500n };
    expect(cutDelta(stored, cut(1800n, 700n, 999n))).toEqual({
      deltaRx: 800n,
      deltaTx: 200n,
      adopt: true,
    });
    // The same cut again, after its totals were stored: nothing more.
    const after = { epoch: 'e1', rx: 1800n, tx: 700n };
    expect(cutDelta(after, cut(1800n, 700n, 999n))).toEqual({
      deltaRx: 0n,
      deltaTx: 0n,
      adopt: true,
    });
    // Counted past the cut already (the peer came back and was counted): nothing, keep stored.
    expect(cutDelta({ epoch: 'e1', rx: 2000n, tx: 700n }, cut(1800n, 700n, 5n))).toEqual({
      deltaRx: 0n,
      deltaTx: 0n,
      adopt: false,
    });
  });

  it('in another epoch, or none stored: the bytes used since the base, split as the totals', () => {
    expect(cutDelta({ epoch: 'old', rx: 9n, tx: 9n }, cut(300n, 100n, 40n))).toEqual({
      deltaRx: 30n,
      deltaTx: 10n,
      adopt: true,
    });
    expect(cutDelta({ epoch: null, rx: null, tx: null }, cut(0n, 0n, 7n))).toEqual({
      deltaRx: 7n,
      deltaTx: 0n,
      adopt: true,
    });
  });

  it('never adds negative bytes, and applying the adopted totals twice adds nothing', () => {
    const big = fc.bigInt(0n, 2n ** 50n);
    fc.assert(
      fc.property(big, big, big, big, big, fc.boolean(), (sRx, sTx, cRx, cTx, used, same) => {
        const stored = { epoch: same ? 'e1' : 'e0', rx: sRx, tx: sTx };
        const c = cut(cRx, cTx, used);
        const d = cutDelta(stored, c);
        expect(d.deltaRx >= 0n && d.deltaTx >= 0n).toBe(true);
        if (d.adopt) {
          const again = cutDelta({ epoch: c.epoch, rx: cRx, tx: cTx }, c);
          expect(again.deltaRx + again.deltaTx).toBe(0n);
        }
      }),
    );
  });
});
