import type { SecretCipher } from './secret-cipher.js';

/**
 * The `settings` row that proves which key a database's secrets are sealed with: a known text,
 * sealed. A panel started with another key fails to open it and stops before writing anything.
 */
export const KEY_CHECK_SETTING = 'secrets.key_check';
const KEY_CHECK_TEXT = 'wgfleet secret key check';
const KEY_CHECK_BINDING = `settings.value|${KEY_CHECK_SETTING}`;

export const sealKeyCheck = (cipher: SecretCipher) =>
  cipher.seal(KEY_CHECK_TEXT, KEY_CHECK_BINDING);

/** Whether `cipher` holds the key that sealed this key-check value. */
export function keyCheckOpens(cipher: SecretCipher, stored: string): boolean {
  try {
    return cipher.open(stored, KEY_CHECK_BINDING) === KEY_CHECK_TEXT;
  } catch {
    return false;
  }
}
