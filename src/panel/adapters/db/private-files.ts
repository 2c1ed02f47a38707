import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A file or folder of the panel's data that others could change. */
export class UnsafePermissionsError extends Error {
  override readonly name = 'UnsafePermissionsError';
  constructor(
    readonly path: string,
    readonly mode: number,
  ) {
    super(
      `${path} is writable by group or others (mode ${(mode & 0o7777).toString(8).padStart(4, '0')}); ` +
        `it holds the panel's secrets (node tokens, keys, password hashes): ` +
        `run \`chmod go-w ${path}\` (or 0700 for a folder, 0600 for a file) and start again`,
    );
  }
}

/** Throws UnsafePermissionsError for the first existing path writable by group or others. */
export function assertNotWritableByOthers(paths: readonly string[]): void {
  for (const path of paths) {
    let mode: number;
    try {
      mode = statSync(path).mode;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    if (mode & 0o022) throw new UnsafePermissionsError(path, mode);
  }
}

/** The SQLite file and the journals SQLite keeps beside it. */
export const sqliteFiles = (path: string) => [
  path,
  `${path}-wal`,
  `${path}-shm`,
  `${path}-journal`,
];

/**
 * Makes a SQLite database private before SQLite opens it: refuses a folder or file others can
 * write, creates the file 0600 when missing (SQLite creates -wal and -shm with the mode of the
 * database file, whatever the umask) and sets 0600 on the files already there.
 */
export function prepareSqliteFile(path: string): void {
  assertNotWritableByOthers([dirname(path), ...sqliteFiles(path)]);
  closeSync(openSync(path, 'a', 0o600));
  for (const file of sqliteFiles(path)) {
    try {
      if ((statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
