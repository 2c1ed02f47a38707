import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isInterfaceName } from '../../shared/wg-names.js';
import { readTextFile, writeFileAtomic } from '../sys/atomic-file.js';

/** The folder of wg-quick files, `<dir>/<name>.conf`. */
export interface ConfStore {
  path(name: string): string;
  read(name: string): Promise<string | null>;
  /** Replaces the file atomically (temp file, fsync, rename), mode 0600. */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  names(): Promise<string[]>;
}

export function createConfStore(dir: string): ConfStore {
  const path = (name: string) => join(dir, `${name}.conf`);
  return {
    path,
    read: (name) => readTextFile(path(name)),
    write: (name, text) => writeFileAtomic(path(name), text),
    async remove(name) {
      await rm(path(name), { force: true });
    },
    async names() {
      try {
        const files = await readdir(dir);
        return files
          .filter((f) => f.endsWith('.conf'))
          .map((f) => f.slice(0, -'.conf'.length))
          .filter(isInterfaceName);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
  };
}
