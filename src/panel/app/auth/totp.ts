import { createHash, randomBytes } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';

/** The name authenticator apps show for the panel's codes. */
export const TOTP_ISSUER = 'wgfleet';
/** How many recovery codes an enrolment hands out (each works once). */
export const RECOVERY_CODE_COUNT = 10;

/** A new TOTP secret (base32, 160 bits as RFC 6238 advises for SHA-1). */
export const newTotpSecret = (): string => generateSecret();

/** The `otpauth://totp/…` link an authenticator app reads (from the QR code). */
export const totpUri = (secret: string, username: string): string =>
  generateURI({ issuer: TOTP_ISSUER, label: username, secret });

/**
 * The RFC 6238 time step `code` is the secret's code of, at `now` or the step just before or after
 * (a clock 30 s off, a code typed as it turned); null when it is none of them. Explicit time: no
 * clock is read here.
 */
export async function totpStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const r = await verify({ secret, token: code, epoch, epochTolerance: 30 });
  // The step it matched: the current one (30 s steps, RFC 6238's default) and its offset.
  return r.valid ? Math.floor(epoch / 30) + r.delta : null;
}

/** Whether `code` is the secret's code at `now` (or a step off): enrolment, before any use. */
export const totpMatches = async (secret: string, code: string, now: Date): Promise<boolean> =>
  (await totpStep(secret, code, now)) !== null;

/** The code at `now` (tests and the browser test's authenticator). */
export const totpCode = (secret: string, now: Date): Promise<string> =>
  generate({ secret, epoch: Math.floor(now.getTime() / 1000) });

/** Ten one-time recovery codes, `xxxxx-xxxxx` (40 random bits each; one-time, throttled like passwords), and the hashes stored of them. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const s = randomBytes(8).toString('hex').slice(0, 10);
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
  return { codes, hashes: codes.map(recoveryCodeHash) };
}

/** The stored form of a recovery code (spaces, dash and case forgiven). */
export const recoveryCodeHash = (code: string): string =>
  createHash('sha256')
    .update(code.toLowerCase().replace(/[^0-9a-f]/g, ''))
    .digest('hex');

/** Whether what was typed looks like a recovery code rather than a TOTP code. */
export const looksLikeRecoveryCode = (code: string): boolean =>
  /^[0-9a-f]{5}-?[0-9a-f]{5}$/i.test(code.trim());
