import { describe, expect, it } from 'vitest';
import { TransferFormatError, parseTransfer } from './transfer-parser.js';

const P1 = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const P2 = 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=';

describe('parseTransfer', () => {
  it('reads one line per peer into parallel arrays', () => {
    expect(parseTransfer(`${P1}\t123\t456\n${P2}\t0\t9007199254740991\n`)).toEqual({
      keys: [P1, P2],
      rx: [123, 0],
      tx: [456, 9007199254740991],
    });
  });

  it('reads an interface without peers and a last line without newline', () => {
    expect(parseTransfer('')).toEqual({ keys: [], rx: [], tx: [] });
    expect(parseTransfer(`${P1}\t1\t2`).tx).toEqual([2]);
  });

  it('refuses anything else, naming the line', () => {
    for (const bad of [`${P1}\t1\n`, `${P1}\t1\tx\n`, `${P1}\t1\t2\t3\n`, `\t1\t2\n`])
      expect(() => parseTransfer(`${P2}\t0\t0\n${bad}`)).toThrow(TransferFormatError);
    expect(() => parseTransfer(`${P2}\t0\t0\n${P1}\t1\n`)).toThrow(/line 2/);
  });
});
