import { readFile } from 'node:fs/promises';
import type { ProcessRunner } from '../sys/process-runner.js';

/** What the kernel says of a network interface. */
export interface LinkState {
  readonly addresses: string[];
  readonly mtu: number | null;
  readonly up: boolean;
}

/** Reads link state of this network namespace (`ip -j addr show`). */
export interface LinkInfo {
  links(): Promise<Map<string, LinkState>>;
  /**
   * The interface's ifindex as text, or null when it is not there: a new value means the
   * interface was re-created (and its WireGuard counters restarted).
   */
  instance(name: string): Promise<string | null>;
}

interface IpAddrJson {
  ifname?: string;
  mtu?: number;
  flags?: string[];
  addr_info?: { local?: string; prefixlen?: number; scope?: string }[];
}

/** Parses `ip -j addr show` output. Pure. */
export function parseIpAddrJson(text: string): Map<string, LinkState> {
  const rows = JSON.parse(text) as IpAddrJson[];
  const links = new Map<string, LinkState>();
  for (const row of rows) {
    if (!row.ifname) continue;
    links.set(row.ifname, {
      addresses: (row.addr_info ?? [])
        // Link-local addresses (fe80::/64 on every tun) are the kernel's, not configuration.
        .filter((a) => a.local !== undefined && a.prefixlen !== undefined && a.scope !== 'link')
        .map((a) => `${a.local}/${a.prefixlen}`),
      mtu: row.mtu ?? null,
      up: (row.flags ?? []).includes('UP'),
    });
  }
  return links;
}

export function createLinkInfo(runner: ProcessRunner, ipBin = 'ip'): LinkInfo {
  return {
    async instance(name) {
      // sysfs of this network namespace (`ip netns exec` mounts it); the name was validated.
      try {
        return (await readFile(`/sys/class/net/${name}/ifindex`, 'utf8')).trim();
      } catch {
        return null;
      }
    },
    async links() {
      const { stdout } = await runner.run(ipBin, ['-j', 'addr', 'show']);
      return parseIpAddrJson(stdout);
    },
  };
}
