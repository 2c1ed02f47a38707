import { describe, expect, it } from 'vitest';
import { InterfaceTotals } from './interface-totals.js';
import { TotalsFileError, parseTotals, serializeTotals } from './totals-file.js';

const A = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';

describe('totals file', () => {
  it('reads back what it wrote', () => {
    const t = new InterfaceTotals('abc', '12');
    t.apply({ keys: [A], rx: [2 ** 40], tx: [7] }, '12');
    t.peerGone(A);
    const text = serializeTotals({
      bootId: 'b-1',
      panelHeardAt: 1_700_000_000_000,
      interfaces: new Map([['wg0', t]]),
    });
    expect(JSON.parse(text)).toEqual({
      version: 1,
      boot_id: 'b-1',
      panel_heard_at: 1_700_000_000_000,
      interfaces: { wg0: { epoch: 'abc', incarnation: '12', peers: { [A]: [2 ** 40, 7, 0, 0] } } },
    });
    const back = parseTotals(text);
    expect(back.bootId).toBe('b-1');
    expect(back.panelHeardAt).toBe(1_700_000_000_000);
    expect(back.interfaces.get('wg0')?.peers.get(A)).toEqual({
      totalRx: 2 ** 40,
      totalTx: 7,
      lastRx: 0,
      lastTx: 0,
    });
    expect(serializeTotals(back)).toBe(text);
  });

  it('refuses a file it cannot trust, naming the part', () => {
    expect(() => parseTotals('{"version":1')).toThrow(TotalsFileError);
    expect(() => parseTotals('{"version":2}')).toThrow(/version/);
    const bad = {
      version: 1,
      boot_id: null,
      panel_heard_at: null,
      interfaces: { wg0: { epoch: 'e', incarnation: null, peers: { [A]: [1, 2, 3, -4] } } },
    };
    expect(() => parseTotals(JSON.stringify(bad))).toThrow(`interfaces.wg0.peers.${A}`);
  });
});
