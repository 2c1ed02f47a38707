import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UAPI_DIRS } from './uapi-transfer.js';

/**
 * The WireGuard interfaces `wg show interfaces` would list, without spawning it: kernel ones
 * (`DEVTYPE=wireguard` in sysfs of this namespace) and userspace ones (a control socket in the
 * shared socket folder: those of every namespace, as `wg` lists them). Sorted, no duplicates.
 * The read loop lists every second; a spawn each time was its last one.
 */
export async function listWgInterfaces(
  sysNet = '/sys/class/net',
  socketDirs: readonly string[] = UAPI_DIRS,
): Promise<string[]> {
  const names = new Set<string>();
  for (const link of await readdir(sysNet).catch(() => [] as string[])) {
    const uevent = await readFile(join(sysNet, link, 'uevent'), 'utf8').catch(() => '');
    if (/^DEVTYPE=wireguard$/m.test(uevent)) names.add(link);
  }
  for (const dir of socketDirs)
    for (const f of await readdir(dir).catch(() => [] as string[]))
      if (f.endsWith('.sock')) names.add(f.slice(0, -'.sock'.length));
  return [...names].sort();
}
