import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `fn` with the path of a 0600 file (in a fresh 0700 folder) that holds `secret`, then
 * deletes it. How keys reach `wg set … private-key FILE`: never argv, and not `/dev/stdin`,
 * which `wg` cannot open when Node gives the child a socket (Node's stdio "pipes" are
 * socketpairs: `fopen("/dev/stdin")` fails with ENXIO).
 */
export async function withSecretFile<T>(
  secret: string,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-lab-key-'));
  try {
    const path = join(dir, 'key');
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
