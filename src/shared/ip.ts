import { isIP } from 'node:net';
import { parseCidr } from './cidr.js';

/** An IP address as a number, with its family. IPv4 in 32 bits, IPv6 in 128. */
export interface IpValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** Parses an IPv4 or IPv6 address (no prefix). Returns null when malformed. */
export function parseIp(text: string): IpValue | null {
  const family = isIP(text);
  if (family === 4) {
    const v = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { family: 4, value: v };
  }
  if (family === 6) return { family: 6, value: parseIpv6(text) };
  return null;
}

function parseIpv6(text: string): bigint {
  let s = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4?.[1]) {
    const n = parseIp(v4[1])?.value ?? 0n;
    s = s.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [headText, tailText] = s.split('::') as [string, string | undefined];
  const head = headText ? headText.split(':') : [];
  const tail = tailText ? tailText.split(':') : [];
  const groups =
    tailText === undefined
      ? head
      : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

/** Formats an address value in its family's usual text form (IPv6 compressed, lowercase). */
export function formatIp(ip: IpValue): string {
  if (ip.family === 4)
    return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  // Compress the longest run of two or more zero groups (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** A network from a CIDR: first and last address, and the interface's own address in it. */
export interface Network {
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
  /** The address written in the CIDR (the server's own address for an interface). */
  readonly own: bigint;
  readonly cidr: string;
}

export function parseNetwork(cidr: string): Network | null {
  const c = parseCidr(cidr);
  if (!c) return null;
  const ip = parseIp(c.address) as IpValue;
  const bits = c.family === 4 ? 32n : 128n;
  const hostBits = bits - BigInt(c.prefix);
  const first = (ip.value >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  return {
    family: c.family,
    prefix: c.prefix,
    first,
    last,
    own: ip.value,
    cidr: `${formatIp({ family: c.family, value: first })}/${c.prefix}`,
  };
}

/** True when `ip` lies inside `net`. */
export function contains(net: Network, ip: IpValue): boolean {
  return ip.family === net.family && ip.value >= net.first && ip.value <= net.last;
}
