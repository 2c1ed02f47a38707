import { describe, expect, it } from 'vitest';
import { generateWgKeyPair, isWgKey, normalizeWgKey, wgPublicKey } from './keys.js';

describe('WireGuard keys', () => {
  it('generates pairs whose public key derives from the private key', () => {
    const pair = generateWgKeyPair();
    expect(isWgKey(pair.privateKey)).toBe(true);
    expect(isWgKey(pair.publicKey)).toBe(true);
    expect(wgPublicKey(pair.privateKey)).toBe(pair.publicKey);
  });

  it('matches the key wg derives (RFC 7748 test vector)', () => {
    // Alice's private key from RFC 7748 section 6.1, and her public key.
    const priv = Buffer.from(
      '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
      'hex',
    ).toString('base64');
    const pub = Buffer.from(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
      'hex',
    ).toString('base64');
    expect(wgPublicKey(priv)).toBe(pub);
  });

  it('rejects what is not 32 bytes of standard base64', () => {
    expect(isWgKey('')).toBe(false);
    expect(isWgKey('abc')).toBe(false);
    expect(isWgKey('A'.repeat(43) + '=')).toBe(true);
    expect(isWgKey('A'.repeat(42) + 'B=')).toBe(false); // non-zero padding bits
    expect(isWgKey('A'.repeat(44))).toBe(false);
    expect(isWgKey('$(reboot)' + 'A'.repeat(34) + '=')).toBe(false);
  });

  it('accepts base64url in paths', () => {
    const { publicKey } = generateWgKeyPair();
    const url = publicKey.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, '');
    expect(normalizeWgKey(url)).toBe(publicKey);
    expect(normalizeWgKey(publicKey)).toBe(publicKey);
    expect(normalizeWgKey('nope')).toBeNull();
  });
});
