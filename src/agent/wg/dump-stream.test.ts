import { describe, expect, it } from 'vitest';
import { parseDump } from './dump-parser.js';
import { dumpJson } from './dump-stream.js';

const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PUB = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
const PSK = 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=';

async function collect(chunks: string[]): Promise<string> {
  let out = '';
  for await (const piece of dumpJson('wg0', chunks)) out += piece;
  return out;
}

describe('dumpJson (streamed)', () => {
  const text =
    `${PRIV}\t${PUB}\t51820\toff\n` +
    Array.from(
      { length: 50 },
      (_, i) =>
        `${PUB.slice(0, 40)}${String(i).padStart(3, '0')}=\t${i % 2 ? PSK : '(none)'}\t(none)\t10.0.0.${i}/32,fd00::${i}/128\t${i ? 1700000000 + i : 0}\t${i * 1000}\t${i * 7}\t${i % 3 ? 'off' : 25}\n`,
    ).join('');

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
});
