import type { Network } from '../../shared/ip.js';

/**
 * How many host addresses of `net` can still be given to a peer: the assignable range (without
 * the network address, nor the IPv4 broadcast address, except in point-to-point networks and
 * single hosts — the addresses `freeAddresses` hands out) minus the interface's own address and
 * the `used` ones. A bigint: an IPv6 /64 has 2^64 of them.
 */
export function countFreeAddresses(net: Network, used: Iterable<bigint>): bigint {
  const pointToPoint = net.prefix >= (net.family === 4 ? 31 : 127);
  const lo = pointToPoint ? net.first : net.first + 1n;
  const hi = net.family === 4 && !pointToPoint ? net.last - 1n : net.last;
  if (hi < lo) return 0n;
  const taken = new Set<bigint>([net.own]);
  for (const u of used) taken.add(u);
  let inRange = 0n;
  for (const a of taken) if (a >= lo && a <= hi) inRange++;
  return hi - lo + 1n - inRange;
}
