import { formatIp, type Network } from '../../shared/ip.js';

/**
 * Free host addresses of a network, given the ones in use, without enumerating the network:
 * the cost is O(used · log used) for a /16 or a /64 alike. The network address, the interface's
 * own address and (IPv4) the broadcast address are never handed out.
 */
export function freeAddresses(net: Network, used: Iterable<bigint>, limit: number): string[] {
  const taken = new Set<bigint>([net.own]);
  for (const u of used) if (u >= net.first && u <= net.last) taken.add(u);
  const sorted = [...taken].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Skip the network address (IPv4; the subnet-router anycast address in IPv6) and the IPv4
  // broadcast address, except in point-to-point networks (/31, /127) and single hosts.
  const pointToPoint = net.prefix >= (net.family === 4 ? 31 : 127);
  const hi = net.family === 4 && !pointToPoint ? net.last - 1n : net.last;
  const out: string[] = [];
  let candidate = pointToPoint ? net.first : net.first + 1n;
  let i = 0;
  while (out.length < limit && candidate <= hi) {
    while (i < sorted.length && (sorted[i] as bigint) < candidate) i++;
    if (i < sorted.length && sorted[i] === candidate) {
      candidate++;
      continue;
    }
    // Hand out the run up to the next taken address (or the limit) in one go.
    const stop = i < sorted.length ? (sorted[i] as bigint) - 1n : hi;
    for (let a = candidate; a <= stop && a <= hi && out.length < limit; a++)
      out.push(formatIp({ family: net.family, value: a }));
    candidate = stop + 2n;
    i++;
  }
  return out;
}

/** The first free host address with its host prefix (/32 or /128), or null when full. */
export function nextFreeAddress(net: Network, used: Iterable<bigint>): string | null {
  const [first] = freeAddresses(net, used, 1);
  return first === undefined ? null : `${first}/${net.family === 4 ? 32 : 128}`;
}
