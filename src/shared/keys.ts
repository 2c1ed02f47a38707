import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** Standard base64 of exactly 32 bytes: 43 characters and one `=`. */
export const WG_KEY_PATTERN = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';
const WG_KEY_RE = new RegExp(WG_KEY_PATTERN);

/** True when `key` is a WireGuard key (32 bytes in standard base64). */
export function isWgKey(key: string): boolean {
  return WG_KEY_RE.test(key);
}

/**
 * Normalises a key taken from a URL path: base64url (`-`, `_`, optional padding) becomes standard
 * base64. Returns null when the result is not a WireGuard key.
 */
export function normalizeWgKey(raw: string): string | null {
  let key = raw.replace(/-/g, '+').replace(/_/g, '/');
  if (key.length === 43) key += '=';
  return isWgKey(key) ? key : null;
}

export interface WgKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

// DER prefixes of PKCS#8 / SPKI X25519 keys; the raw 32 bytes follow them.
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** Generates an X25519 key pair as WireGuard expects it (base64 raw keys). */
export function generateWgKeyPair(): WgKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const priv = privateKey
    .export({ format: 'der', type: 'pkcs8' })
    .subarray(PKCS8_X25519_PREFIX.length);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519_PREFIX.length);
  return { privateKey: priv.toString('base64'), publicKey: pub.toString('base64') };
}

/** Derives the public key of a base64 WireGuard private key. */
export function wgPublicKey(privateKeyB64: string): string {
  const raw = Buffer.from(privateKeyB64, 'base64');
  if (raw.length !== 32) throw new Error('a WireGuard private key is 32 bytes');
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_X25519_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
  return createPublicKey(key)
    .export({ format: 'der', type: 'spki' })
    .subarray(SPKI_X25519_PREFIX.length)
    .toString('base64');
}
