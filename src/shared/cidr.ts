import { isIP } from 'node:net';

/** Parses `addr/prefix` (IPv4 or IPv6). Returns null when malformed. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 4 | 6 } | null {
  const slash = cidr.indexOf('/');
  if (slash < 0) return null;
  const address = cidr.slice(0, slash);
  const prefixText = cidr.slice(slash + 1);
  const family = isIP(address);
  if (family === 0 || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family: family as 4 | 6 };
}

/** True for a CIDR like `10.0.0.2/32` or `fd00::2/128`. */
export function isCidr(cidr: string): boolean {
  return parseCidr(cidr) !== null;
}

/** True for `host:port`, `1.2.3.4:port` or `[v6]:port`, as `wg set … endpoint` takes it. */
export function isEndpoint(endpoint: string): boolean {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/.exec(endpoint);
  if (!m) return false;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return false;
  return m[1] === undefined || isIP(m[1]) === 6;
}
