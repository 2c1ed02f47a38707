import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isInterfaceName } from '../../shared/wg-names.js';

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
    async read(name) {
      try {
        return await readFile(path(name), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async write(name, text) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const tmp = join(dir, `.${name}.conf.${randomBytes(6).toString('hex')}.tmp`);
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await rename(tmp, path(name));
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      const dh = await open(dir, 'r');
      await dh.sync().finally(() => dh.close());
    },
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
