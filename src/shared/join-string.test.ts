import { describe, expect, it } from 'vitest';
import { formatJoinString, parseJoinString } from './join-string.js';

const fp = 'ab'.repeat(32);
const token = 'T'.repeat(43);

describe('join strings', () => {
  it('round-trips IPv4, names and IPv6', () => {
    for (const host of ['10.0.0.1', 'node-1.example.com', 'fd00::1']) {
      const info = { host, port: 8787, token, fingerprint: fp };
      expect(parseJoinString(formatJoinString(info))).toEqual(info);
    }
    expect(formatJoinString({ host: 'fd00::1', port: 1, token, fingerprint: fp })).toContain(
      '[fd00::1]:1',
    );
  });

  it('says what is wrong, without echoing the token', () => {
    expect(() => parseJoinString('https://x:1')).toThrow(/wgfleet:\/\//);
    expect(() => parseJoinString(`wgfleet://x:1?token=${token}`)).toThrow(/fingerprint/);
    expect(() => parseJoinString(`wgfleet://x:1?token=short&fingerprint=sha256:${fp}`)).toThrow(
      /token/,
    );
    try {
      parseJoinString(`wgfleet://x?token=${token}&fingerprint=sha256:${fp}`);
    } catch (e) {
      expect(String(e)).not.toContain(token);
    }
  });
});
