import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertNotWritableByOthers } from '../private-files.js';
import { SECRET_KEY_BYTES } from './aes-gcm-cipher.js';

/** The secret key file cannot be used (its error says why and what to do). */
export class SecretKeyFileError extends Error {
  override readonly name = 'SecretKeyFileError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`secret key file ${path}: ${problem}`);
  }
}

/**
 * Reads the key file: exactly 32 bytes, a regular file that only its owner can read or write
 * (0600 or 0400), in a folder others cannot write. Returns null when there is no file. Never
 * puts the key in an error.
 */
export async function readSecretKeyFile(path: string): Promise<Buffer | null> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SecretKeyFileError(path, `cannot read it (${(e as NodeJS.ErrnoException).code})`);
  }
  if (!info.isFile()) throw new SecretKeyFileError(path, 'is not a file');
  if (info.mode & 0o077)
    throw new SecretKeyFileError(
      path,
      `mode ${(info.mode & 0o777).toString(8).padStart(4, '0')} lets others read or change it; ` +
        `run \`chmod 600 ${path}\` and start again`,
    );
  assertNotWritableByOthers([dirname(path)]);
  const key = await readFile(path);
  if (key.length !== SECRET_KEY_BYTES)
    throw new SecretKeyFileError(
      path,
      `holds ${key.length} bytes, a secret key is exactly ${SECRET_KEY_BYTES} (random bytes, not text); ` +
        `was it copied through a text tool?`,
    );
  return key;
}

/**
 * Creates the key file: 32 random bytes, mode 0600, its folder 0700 if it has to be made (see
 * writeSecretKeyFile).
 */
export async function createSecretKeyFile(path: string): Promise<Buffer> {
  const key = randomBytes(SECRET_KEY_BYTES);
  await writeSecretKeyFile(path, key);
  return key;
}

/**
 * Writes `key` as a new key file, mode 0600, its folder 0700 if it has to be made. Written to a
 * temporary file and linked into place, so the file appears whole or not at all, and never
 * replaces one that is there (EEXIST).
 */
export async function writeSecretKeyFile(path: string, key: Uint8Array): Promise<void> {
  if (key.length !== SECRET_KEY_BYTES) throw new SecretKeyFileError(path, 'not a 32-byte key');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  assertNotWritableByOthers([dirname(path)]);
  const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
  try {
    const file = await open(
      partial,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      0o600,
    );
    try {
      await file.chmod(0o600); // whatever the umask
      await file.writeFile(key);
      await file.sync();
    } finally {
      await file.close();
    }
    await link(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
}
