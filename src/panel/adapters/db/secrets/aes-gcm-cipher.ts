import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SEALED_PREFIX, SecretUnreadableError, type SecretCipher } from './secret-cipher.js';

/** Format 1: AES-256-GCM, 96-bit random nonce, 128-bit tag, the binding as associated data. */
const V1 = `${SEALED_PREFIX}v1:`;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The length of a secret key, in bytes (AES-256). */
export const SECRET_KEY_BYTES = 32;

/**
 * A SecretCipher over AES-256-GCM (node's crypto). A sealed value is
 * `enc:v1:<base64 of nonce ‖ ciphertext ‖ tag>`; every seal draws a new random nonce, so the same
 * value sealed twice reads differently. The key is copied: the caller may wipe its buffer.
 */
export function createAesGcmCipher(key: Uint8Array): SecretCipher {
  if (key.length !== SECRET_KEY_BYTES)
    throw new Error(`a secret key is ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
  const k = Buffer.from(key);
  return {
    seal(clear, binding) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(binding, 'utf8'));
      const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
      return V1 + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
    },
    open(sealed, binding) {
      if (!sealed.startsWith(V1))
        throw new SecretUnreadableError(binding, 'unknown format (not enc:v1:)');
      const raw = Buffer.from(sealed.slice(V1.length), 'base64');
      if (raw.length < NONCE_BYTES + TAG_BYTES)
        throw new SecretUnreadableError(binding, 'too short');
      const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, NONCE_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(binding, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnreadableError(
          binding,
          'it was sealed with another key, for another row, or is damaged',
        );
      }
    },
  };
}
