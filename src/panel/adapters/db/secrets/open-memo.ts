import { openStored } from './secret-bindings.js';
import type { SecretCipher } from './secret-cipher.js';

/**
 * Opens stored values like openStored, remembering what it opened by (binding, sealed text): a
 * read that meets the same sealed value for the same row again does not decrypt it again. The
 * sealed text changes whenever the value is written (a new nonce each time), so a hit is exact;
 * a value moved to another row has another binding and is opened (and refused) afresh.
 * `forgetUnused()` drops what the reads since the last call did not meet, so the memo holds at
 * most what one read returns.
 */
export function openMemo(cipher: SecretCipher) {
  let previous = new Map<string, string>();
  let current = new Map<string, string>();
  return {
    open(stored: string | null, binding: string): string | null {
      if (stored === null) return null;
      const key = `${binding}\n${stored}`;
      let clear = current.get(key) ?? previous.get(key);
      if (clear === undefined) clear = openStored(cipher, stored, binding) as string;
      current.set(key, clear);
      return clear;
    },
    forgetUnused() {
      previous = current;
      current = new Map();
    },
  };
}
