import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAesGcmCipher } from './aes-gcm-cipher.js';
import { isSealed, SecretUnreadableError } from './secret-cipher.js';

const key = randomBytes(32);
const cipher = createAesGcmCipher(key);
const secret = randomBytes(32).toString('base64');
const here = 'peers.private_key|1|PUBLIC';

describe('the AES-256-GCM secret cipher', () => {
  it('seals to enc:v1:<base64 nonce|ciphertext|tag> and opens it again', () => {
    const sealed = cipher.seal(secret, here);
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    const raw = Buffer.from(sealed.slice('enc:v1:'.length), 'base64');
    expect(raw.length).toBe(12 + Buffer.byteLength(secret) + 16);
    expect(cipher.open(sealed, here)).toBe(secret);
    expect(cipher.open(cipher.seal('', here), here)).toBe('');
    expect(cipher.open(cipher.seal('clé ✓', here), here)).toBe('clé ✓');
  });

  it('draws a new nonce for every seal', () => {
    const sealed = new Set(Array.from({ length: 50 }, () => cipher.seal(secret, here)));
    expect(sealed.size).toBe(50);
    const nonces = new Set(
      [...sealed].map((s) => Buffer.from(s.slice(7), 'base64').subarray(0, 12).toString('hex')),
    );
    expect(nonces.size).toBe(50);
  });

  it('refuses another binding, another key, a changed byte, and an unknown format', () => {
    const sealed = cipher.seal(secret, here);
    const refused = (f: () => unknown) => {
      expect(f).toThrow(SecretUnreadableError);
      try {
        f();
      } catch (e) {
        expect((e as Error).message).not.toContain(secret);
      }
    };
    refused(() => cipher.open(sealed, 'peers.private_key|2|PUBLIC'));
    refused(() => cipher.open(sealed, 'peers.preshared_key|1|PUBLIC'));
    refused(() => createAesGcmCipher(randomBytes(32)).open(sealed, here));
    const raw = Buffer.from(sealed.slice(7), 'base64');
    for (const at of [0, 12, raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[at] = (changed[at] ?? 0) ^ 1;
      refused(() => cipher.open(`enc:v1:${changed.toString('base64')}`, here));
    }
    refused(() => cipher.open(`enc:v2:${raw.toString('base64')}`, here));
    refused(() => cipher.open('enc:v1:AAAA', here));
    expect(() => cipher.open(sealed, 'x')).toThrow(/the secret x cannot be opened/);
  });

  it('takes only a 32-byte key, and keeps its own copy of it', () => {
    expect(() => createAesGcmCipher(randomBytes(16))).toThrow(/32 bytes, got 16/);
    const k = Buffer.from(key);
    const own = createAesGcmCipher(k);
    const sealed = own.seal(secret, here);
    k.fill(0);
    expect(own.open(sealed, here)).toBe(secret);
    expect(cipher.open(sealed, here)).toBe(secret);
  });
});
