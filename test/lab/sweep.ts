import { readdir, readFile, rm } from 'node:fs/promises';
import { waitFor } from '../support/wait-for.js';
import { ip } from './exec.js';
import { WG_SOCKET_DIR } from './wg-interface.js';

/** Names of `<prefix>*` wireguard-go sockets still in the shared socket folder. */
export async function labSockets(prefix: string): Promise<string[]> {
  const files = await readdir(WG_SOCKET_DIR).catch(() => [] as string[]);
  return files
    .filter((f) => f.startsWith(prefix) && f.endsWith('.sock'))
    .map((f) => f.slice(0, -'.sock'.length));
}

/**
 * PIDs of wireguard-go processes serving one of `names` — the daemons `wg-quick` starts for
 * interfaces of this lab (their names carry the lab's unique prefix, so no one else's match).
 */
export async function wireguardGoPids(names: readonly string[]): Promise<number[]> {
  const wanted = new Set(names);
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const isWgGo = (argv[0] ?? '').endsWith('wireguard-go');
    if (isWgGo && argv.slice(1).some((a) => wanted.has(a))) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Removes every WireGuard interface of the lab, whoever started it: deletes `<prefix>*` links
 * in the lab's namespaces (wireguard-go exits when its link goes), waits a bounded time for the
 * sockets to go, then kills lingering daemons by PID and removes their stale sockets.
 */
export async function sweepStrayWireguard(prefix: string, namespaces: string[]): Promise<void> {
  for (const ns of namespaces) {
    const links = JSON.parse(await ip(ns, ['-j', 'link', 'show']).catch(() => '[]')) as {
      ifname: string;
    }[];
    for (const l of links.filter((x) => x.ifname.startsWith(prefix)))
      await ip(ns, ['link', 'del', l.ifname]).catch(() => undefined);
  }
  await waitFor(
    `the sockets of ${prefix}* to go`,
    async () => (await labSockets(prefix)).length === 0 || undefined,
    { timeoutMs: 3000 },
  ).catch(() => undefined); // lingering daemons are killed below
  const left = await labSockets(prefix);
  if (left.length === 0) return;
  for (const pid of await wireguardGoPids(left)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  for (const name of left) await rm(`${WG_SOCKET_DIR}/${name}.sock`, { force: true });
}
