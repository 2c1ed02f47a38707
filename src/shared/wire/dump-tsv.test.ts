import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dump, DumpPeer, Enforcement } from './agent-api.js';
import { decodeDumpTsv, DumpTsvError, encodeDumpTsv, type EnforcementsCheck } from './dump-tsv.js';

const asIs: EnforcementsCheck = (v) => v as Enforcement[];
const K = (c: string) => `${c.repeat(43)}=`;

const peer = (i: number, totals: boolean): DumpPeer => ({
  public_key: K(String.fromCharCode(65 + (i % 26))),
  endpoint: i % 2 ? `198.51.100.${i}:51820` : null,
  allowed_ips: i % 3 ? [`10.0.0.${i}/32`, `fd00::${i}/128`] : [],
  latest_handshake: i % 4 ? 1_700_000_000 + i : null,
  transfer_rx: i * 1000,
  transfer_tx: 2 ** 52 + i,
  persistent_keepalive: i % 5 ? 25 : null,
  ...(totals ? { total_rx: i * 3000, total_tx: i } : {}),
});

const ledgerDump = (): Dump => ({
  interface: {
    name: 'wg0',
    public_key: K('s'),
    listen_port: 51820,
    fwmark: null,
    instance: '7',
    epoch: 'e-1',
  },
  peers: [0, 1, 2, 3, 4, 5].map((i) => peer(i, true)),
  enforcements: [
    {
      id: 'c1',
      public_key: K('A'),
      at: '2026-12-01T00:00:00.000Z',
      reason: 'traffic_limit',
    } as Enforcement,
  ],
});

const plainDump = (): Dump => ({
  interface: { name: 'wg1', public_key: null, listen_port: null, fwmark: 51, instance: null },
  peers: [0, 1, 2].map((i) => peer(i, false)),
});

const decode = (text: string) => decodeDumpTsv(text, asIs);
const error = (text: string): DumpTsvError => {
  try {
    decode(text);
  } catch (e) {
    if (e instanceof DumpTsvError) return e;
    throw e;
  }
  throw new Error('expected a DumpTsvError');
};

describe('compact dump (tsv)', () => {
  it('reads back exactly what the JSON form carries, with and without a ledger', () => {
    for (const d of [ledgerDump(), plainDump()]) {
      const text = encodeDumpTsv(d);
      expect(decode(text)).toStrictEqual(JSON.parse(JSON.stringify(d)));
      expect(text.endsWith(`end\t${d.peers.length}\n`)).toBe(true);
    }
    const empty: Dump = { ...plainDump(), peers: [] };
    expect(decode(encodeDumpTsv(empty))).toStrictEqual(empty);
  });

  it('is about half the bytes of the JSON form', () => {
    const d = { ...ledgerDump(), peers: Array.from({ length: 500 }, (_, i) => peer(i, true)) };
    const ratio = encodeDumpTsv(d).length / JSON.stringify(d).length;
    expect(ratio).toBeLessThan(0.5);
  });

  it('round-trips any dump of the shape', () => {
    const key = fc
      .stringMatching(/^[A-Za-z0-9+/]{43}$/)
      .map((s) => `${s}=`)
      .filter((s) => s.length === 44);
    const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    const nullableInt = fc.option(fc.integer({ min: 1, max: 2 ** 32 }), { nil: null });
    const arbPeer = (totals: boolean) =>
      fc.record({
        public_key: key,
        endpoint: fc.option(fc.constantFrom('192.0.2.1:1', '[2001:db8::1]:51820'), { nil: null }),
        allowed_ips: fc.array(fc.constantFrom('10.0.0.1/32', '0.0.0.0/0', 'fd00::/64')),
        latest_handshake: nullableInt,
        transfer_rx: int,
        transfer_tx: int,
        persistent_keepalive: nullableInt,
        ...(totals ? { total_rx: int, total_tx: int } : {}),
      });
    fc.assert(
      fc.property(fc.boolean(), fc.array(arbPeer(true)), fc.array(arbPeer(false)), (l, a, b) => {
        const d: Dump = l ? { ...ledgerDump(), peers: a } : { ...plainDump(), peers: b };
        expect(decode(encodeDumpTsv(d))).toStrictEqual(JSON.parse(JSON.stringify(d)));
      }),
    );
  });

  it('names the line and the field of what is malformed', () => {
    const good = encodeDumpTsv(ledgerDump());
    const lines = good.split('\n');
    const withLine = (n: number, f: (l: string) => string) =>
      lines.map((l, i) => (i === n - 1 ? f(l) : l)).join('\n');
    const at = (text: string) => {
      const e = error(text);
      return `${e.field} @${e.line}: ${e.reason}`;
    };
    const setField = (l: string, n: number, v: string) =>
      l
        .split('\t')
        .map((f, i) => (i === n ? v : f))
        .join('\t');
    expect(at(withLine(5, (l) => setField(l, 4, '12x')))).toBe(
      'peers[3].transfer_rx @5: is not a non-negative integer',
    );
    expect(at(withLine(3, (l) => l.replace(/\t[^\t]*$/, '')))).toMatch(
      /^peers\[1\] @3: has 8 fields, expected 9/,
    );
    expect(at(withLine(2, (l) => l.replace(/^A/, '!')))).toBe(
      'peers[0].public_key @2: is not a WireGuard key',
    );
    expect(at(withLine(1, (l) => l.replace('51820', '-1')))).toMatch(/^interface.listen_port @1/);
    expect(at(withLine(1, () => 'wg show dump'))).toMatch(/^\(answer\) @1: does not start/);
    expect(at(withLine(8, () => 'enforcements\t[{'))).toBe('enforcements @8: is not JSON');
    expect(at(withLine(9, () => 'end\t5'))).toBe('end @9: says 5 peers, the answer has 6');
    // A cut answer: no end line.
    expect(at(lines.slice(0, 6).join('\n'))).toMatch(/^\(answer\) @7: ends without its end line/);
    expect(at(`${good}x\n`)).toMatch(/^\(answer\) @10: goes on after end/);
    expect(at('')).toMatch(/^\(answer\) @1: is empty/);
    // A ledger's dump without its records, and records where there is no ledger.
    expect(at(lines.filter((l) => !l.startsWith('enforcements')).join('\n'))).toMatch(
      /^enforcements @8: is missing/,
    );
    const plain = encodeDumpTsv(plainDump()).replace('end', 'enforcements\t[]\nend');
    expect(at(plain)).toMatch(/^enforcements @5: is not expected here/);
  });
});
