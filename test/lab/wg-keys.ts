import { exec } from './exec.js';

/** A WireGuard key pair in base64, as `wg genkey` / `wg pubkey` print them. */
export interface WgKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** Generates a key pair with `wg genkey`; the private key reaches `wg pubkey` through stdin. */
export async function generateKeyPair(): Promise<WgKeyPair> {
  const privateKey = (await exec('wg', ['genkey'])).trim();
  const publicKey = (await exec('wg', ['pubkey'], { input: `${privateKey}\n` })).trim();
  return { privateKey, publicKey };
}

/** A fresh preshared key (`wg genpsk`). */
export async function generatePresharedKey(): Promise<string> {
  return (await exec('wg', ['genpsk'])).trim();
}

/** Percent-encodes a standard-base64 key for a URL path segment (`+`, `/`, `=` escaped). */
export const keyInPath = (key: string) => encodeURIComponent(key);

/** The base64url form of a key (no padding), which the agent accepts in paths too. */
export const keyBase64Url = (key: string) =>
  key.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
