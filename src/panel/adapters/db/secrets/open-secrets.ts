import { rm } from 'node:fs/promises';
import type { DatabaseHandle } from '../open-database.js';
import { createAesGcmCipher } from './aes-gcm-cipher.js';
import { holdsSealedSecrets, sealClearSecrets, type SealReport } from './seal-clear-secrets.js';
import type { SecretCipher } from './secret-cipher.js';
import { createSecretKeyFile, readSecretKeyFile, SecretKeyFileError } from './secret-key-file.js';

/** What opening the secrets found and did, for the start-up log (no secret in it). */
export interface SecretKeyInfo extends SealReport {
  readonly keyFile: string;
  /** The key file did not exist and was made (a first start). */
  readonly created: boolean;
}

/**
 * Makes the cipher of a migrated database from its key file: reads the file, or creates it when
 * it is missing and the database holds nothing sealed yet (a missing file for a sealed database
 * is an error: a new key would not open it). Then checks the key against the database and seals
 * what is still in clear (sealClearSecrets). Nothing is written to the database when the key is
 * the wrong one.
 */
export async function openSecrets(
  handle: Pick<DatabaseHandle, 'db' | 'dialect'>,
  keyFile: string,
): Promise<{ cipher: SecretCipher; info: SecretKeyInfo }> {
  let key = await readSecretKeyFile(keyFile);
  let created = false;
  if (!key) {
    if (await holdsSealedSecrets(handle))
      throw new SecretKeyFileError(
        keyFile,
        'does not exist, but this database holds node tokens and peer keys sealed with a key: ' +
          'put the key file of this database there (a backup of it is FILE.key beside the backup) and start again',
      );
    try {
      key = await createSecretKeyFile(keyFile);
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      key = await readSecretKeyFile(keyFile); // another panel made it meanwhile
      if (!key) throw e;
    }
  }
  const cipher = createAesGcmCipher(key);
  key.fill(0);
  try {
    const report = await sealClearSecrets(handle, cipher);
    return { cipher, info: { ...report, keyFile, created } };
  } catch (e) {
    // A key made for nothing (another panel sealed the database meanwhile with its own).
    if (created) await rm(keyFile, { force: true });
    throw e;
  }
}
