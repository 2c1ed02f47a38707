import { describe, expect, it } from 'vitest';
import { parseDump } from './dump-parser.js';
import { decodeDumpTsv, encodeDumpTsv } from '../../shared/wire/dump-tsv.js';
import type { Enforcement } from '../../shared/wire/agent-api.js';
import { dumpJson, dumpText, type DumpForm, type DumpLedger } from './dump-stream.js';

const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PUB = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
const PSK = 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=';

async function formText(form: DumpForm, chunks: string[], ledger: DumpLedger | null = null) {
  let out = '';
  for await (const piece of dumpText(form, 'wg0', chunks, '3', ledger)) out += piece;
  return out;
}

async function collect(chunks: string[]): Promise<string> {
  let out = '';
  for await (const piece of dumpJson('wg0', chunks)) out += piece;
  return out;
}

describe('dumpJson (streamed)', () => {
  const text0 =
    `${PRIV}\t${PUB}\t51820\toff\n` +
    Array.from(
      { length: 50 },
      (_, i) =>
        `${PUB.slice(0, 40)}${String(i).padStart(3, '0')}=\t${i % 2 ? PSK : '(none)'}\t(none)\t10.0.0.${i}/32,fd00::${i}/128\t${i ? 1700000000 + i : 0}\t${i * 1000}\t${i * 7}\t${i % 3 ? 'off' : 25}\n`,
    ).join('');

  const text = text0;
  it('gives the same JSON as parsing the whole text, however the output is cut', async () => {
    const whole = JSON.stringify(parseDump('wg0', text));
    for (const size of [1, 7, 64, 1000, text.length]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      expect(await collect(chunks), `chunks of ${size}`).toBe(whole);
    }
    expect(await collect([text.slice(0, -1)])).toBe(whole); // no final newline
  });

  it('never carries the private or a preshared key', async () => {
    const json = await collect([text]);
    expect(json).not.toContain(PRIV);
    expect(json).not.toContain(PSK);
  });

  it('reads an interface without peers, and fails on empty or malformed output', async () => {
    expect(JSON.parse(await collect([`${PRIV}\t${PUB}\t51820\toff\n`])).peers).toEqual([]);
    await expect(collect([])).rejects.toThrow(/line 1/);
    await expect(collect([`${PRIV}\t${PUB}\t51820\toff\nbroken\n`])).rejects.toThrow(/line 2/);
  });

  it('writes the compact form with the same content as the JSON, ledger or not', async () => {
    const cut = {
      id: 'r1',
      public_key: PUB,
      at: '2026-12-01T00:00:00.000Z',
      reason: 'expired',
    } as Enforcement;
    const totals = new Map([[`${PUB.slice(0, 40)}007=`, { totalRx: 70, totalTx: 7 }]]);
    const ledger = { epoch: 'e9', peers: totals, enforcements: [cut] } as unknown as DumpLedger;
    for (const l of [null, ledger]) {
      const json = JSON.parse(await formText('json', [text0], l));
      for (const size of [1, 64, text0.length]) {
        const chunks = text0.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
        const tsv = await formText('tsv', chunks, l);
        expect(
          decodeDumpTsv(tsv, (v) => v as Enforcement[]),
          `chunks of ${size}`,
        ).toStrictEqual(json);
        expect(tsv).not.toContain(PRIV);
        expect(tsv).not.toContain(PSK);
      }
    }
    await expect(formText('tsv', [`${PRIV}\t${PUB}\t51820\toff\nbroken\n`])).rejects.toThrow(
      /line 2/,
    );
  });

  it('writes odd lines as the string path does: escapes, hex, big counters, totals', async () => {
    const key = (i: number) => `${PUB.slice(0, 40)}${String(i).padStart(3, '0')}=`;
    const lines = [
      `${key(1)}\t(none)\t[fd00::1]:51820\t\t0\t0\t0\t0`, // no allowed ips, keepalive 0
      `${key(2)}\t${PSK}\t1.2.3.4:5\t(none)\t1\t9007199254740993\t123456789012345678\t0x1f`,
      `${key(3)}\t(none)\ta"b\\c\t10.0.0.3/32,,fd00::3/128\t5\t6\t7\t25`, // JSON escapes
      `${key(4)}\t(none)\tpr\u00e9\u0001\t10.0.0.4/32\t0\t10\t20\toff`, // non-ASCII, control
    ];
    const text = `${PRIV}\t${PUB}\t51820\t0xca6c\n${lines.join('\n')}\n`;
    const totals = new Map([
      [key(2), { totalRx: 5, totalTx: 9, lastRx: 3, lastTx: 200_000_000_000_000_000 }],
      [key(3), { totalRx: 1, totalTx: 2, lastRx: 1, lastTx: 1 }],
    ]);
    const ledger = { epoch: 'e1', peers: totals, enforcements: [] } as unknown as DumpLedger;
    for (const l of [null, ledger]) {
      const whole = parseDump('wg0', text, '3');
      const expected = l
        ? {
            interface: { ...whole.interface, epoch: 'e1' },
            peers: whole.peers.map((p) => {
              const t = totals.get(p.public_key);
              const at = (total: number, last: number, raw: number) =>
                total + (raw >= last ? raw - last : raw);
              return {
                ...p,
                total_rx: at(t?.totalRx ?? 0, t?.lastRx ?? 0, p.transfer_rx),
                total_tx: at(t?.totalTx ?? 0, t?.lastTx ?? 0, p.transfer_tx),
              };
            }),
            enforcements: [],
          }
        : whole;
      for (const size of [1, 13, text.length]) {
        const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
        expect(await formText('json', chunks, l), `chunks of ${size}`).toBe(
          JSON.stringify(expected),
        );
        // Byte for byte the string path's compact form (counters past 2^53 included).
        expect(await formText('tsv', chunks, l)).toBe(encodeDumpTsv(expected));
      }
    }
  });
});
