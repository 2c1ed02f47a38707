import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Numeric id of `name` in `<root>/etc/passwd` (uid) or `<root>/etc/group` (gid); null if none. */
export async function lookupId(
  root: string,
  table: 'passwd' | 'group',
  name: string,
): Promise<number | null> {
  if (name === 'root') return 0;
  let text: string;
  try {
    text = await readFile(join(root, 'etc', table), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined) return Number(fields[2]);
  }
  return null;
}

/**
 * `useradd`/`userdel` arguments for a system account without a login; `--prefix` writes the
 * account files of another root (an image being prepared, a test) instead of this system's.
 */
export function useraddArgs(root: string, name: string, home: string): string[] {
  return [
    ...(root === '/' ? [] : ['--prefix', root]),
    '--system',
    '--user-group',
    '--home-dir',
    home,
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    name,
  ];
}

export function userdelArgs(root: string, name: string): string[] {
  return [...(root === '/' ? [] : ['--prefix', root]), name];
}
