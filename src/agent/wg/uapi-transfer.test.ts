import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UapiError, UapiTransferParser, readUapiTransfer } from './uapi-transfer.js';

const peers = Array.from({ length: 3 }, (_, i) => ({
  key: randomBytes(32),
  psk: randomBytes(32),
  rx: 1000 * i + 7,
  tx: 2 ** 40 + i,
}));
const privateKey = randomBytes(32);

/** An answer to `get=1` as wireguard-go writes it (secrets hex-encoded, like the keys). */
const answer = (errno = 0) =>
  [
    `private_key=${privateKey.toString('hex')}`,
    'listen_port=51820',
    ...peers.flatMap((p, i) => [
      `public_key=${p.key.toString('hex')}`,
      `preshared_key=${p.psk.toString('hex')}`,
      'protocol_version=1',
      ...(i === 1 ? ['endpoint=10.0.0.9:51820'] : []),
      'last_handshake_time_sec=0',
      'last_handshake_time_nsec=0',
      `tx_bytes=${p.tx}`,
      `rx_bytes=${p.rx}`,
      'persistent_keepalive_interval=0',
      `allowed_ip=10.0.0.${i + 2}/32`,
    ]),
    `errno=${errno}`,
    '',
    '',
  ].join('\n');

const expected = {
  keys: peers.map((p) => p.key.toString('base64')),
  rx: peers.map((p) => p.rx),
  tx: peers.map((p) => p.tx),
};

describe('UAPI get=1 answer parser', () => {
  it('keeps keys (as base64) and counters, however the answer is split into chunks', () => {
    const text = Buffer.from(answer(), 'latin1');
    for (let cut = 1; cut < text.length; cut += 7) {
      const p = new UapiTransferParser();
      p.push(Buffer.from(text.subarray(0, cut)));
      if (!p.done) p.push(Buffer.from(text.subarray(cut)));
      expect(p.done).toBe(true);
      expect(p.reading()).toEqual(expected);
    }
  });

  it('zeroes every chunk it scanned: no private or preshared key outlives the reading', () => {
    const chunk = Buffer.from(answer(), 'latin1');
    const p = new UapiTransferParser();
    p.push(chunk);
    expect(chunk.every((b) => b === 0)).toBe(true);
    expect(JSON.stringify(p.reading())).not.toContain(privateKey.toString('base64'));
  });

  it('refuses an errno, an answer cut short, a malformed key or counter (naming no secret)', () => {
    const p = new UapiTransferParser();
    p.push(Buffer.from(answer(19), 'latin1'));
    expect(() => p.reading()).toThrow(UapiError);
    expect(() => p.reading()).toThrow('errno=19');
    const short = new UapiTransferParser();
    short.push(Buffer.from(answer().slice(0, 200), 'latin1'));
    expect(() => short.reading()).toThrow('ended early');
    const badKey = new UapiTransferParser();
    expect(() => badKey.push(Buffer.from('public_key=zz\n', 'latin1'))).toThrow('public key');
    const badRx = new UapiTransferParser();
    expect(() => badRx.push(Buffer.from('rx_bytes=12a\n', 'latin1'))).toThrow('counter');
  });
});

describe('readUapiTransfer over a unix socket', () => {
  it('asks get=1 and reads the answer; no socket means null (kernel WireGuard: use wg)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wgfleet-uapi-'));
    const asked: string[] = [];
    const server = createServer((s) => {
      s.on('data', (b) => {
        asked.push(b.toString());
        // Written in small pieces, as a large answer arrives.
        const text = answer();
        for (let i = 0; i < text.length; i += 50) s.write(text.slice(i, i + 50));
      });
    });
    await new Promise<void>((r) => server.listen(join(dir, 'wgt0.sock'), r));
    try {
      expect(await readUapiTransfer('wgt0', [join(dir, 'none'), dir])).toEqual(expected);
      expect(asked).toEqual(['get=1\n\n']);
      expect(await readUapiTransfer('wgt9', [dir])).toBeNull();
    } finally {
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
