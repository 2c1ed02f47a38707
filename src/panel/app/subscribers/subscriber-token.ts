import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new page token: 256 random bits, base64url (43 characters). */
export function newSubscriberToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

/** The sha256 (hex) a token is looked up by: its timing says nothing about the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `token` has the shape of a page token (checked before any lookup). */
export function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** Compares a presented token's hash with the stored one in constant time. */
export function sameTokenHash(presented: string, stored: string): boolean {
  const a = Buffer.from(presented, 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}
