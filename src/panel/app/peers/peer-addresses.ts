import { freeAddresses } from '../../domain/address-pool.js';
import { formatIp, parseNetwork, type Network } from '../../../shared/ip.js';
import { invalidInput, conflict } from '../errors.js';

/** An address range a peer occupies, from one entry of its `allowed_ip`. */
interface Range {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** The interface networks of a configuration (`10.8.0.1/24, fd00:8::1/64`). */
export function interfaceNetworks(address: string): Network[] {
  return address
    .split(',')
    .map((a) => parseNetwork(a.trim()))
    .filter((n): n is Network => n !== null);
}

/** Splits a comma-separated address list into entries (no validation). */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function rangeOf(entry: string): Range | null {
  const cidr = entry.includes('/') ? entry : `${entry}/${entry.includes(':') ? 128 : 32}`;
  const net = parseNetwork(cidr);
  return net ? { family: net.family, first: net.first, last: net.last } : null;
}

const overlaps = (a: Range, b: Range) =>
  a.family === b.family && a.first <= b.last && b.first <= a.last;

/** Which addresses are taken in a configuration; built once per request from one query. */
export class TakenAddresses {
  private readonly ranges: { peerId: number; range: Range }[] = [];

  constructor(rows: readonly { id: number; allowedIp: string }[]) {
    for (const r of rows)
      for (const entry of splitList(r.allowedIp)) {
        const range = rangeOf(entry);
        if (range) this.ranges.push({ peerId: r.id, range });
      }
  }

  /** Host addresses in use inside `net` (small ranges expanded, up to 4096 addresses each). */
  usedIn(net: Network): bigint[] {
    const out: bigint[] = [];
    for (const { range } of this.ranges) {
      if (range.family !== net.family || range.last < net.first || range.first > net.last) continue;
      if (range.last - range.first > 4095n) continue;
      for (let a = range.first; a <= range.last; a++) out.push(a);
    }
    return out;
  }

  /** Marks addresses as taken by a peer being added in this request. */
  add(entries: readonly string[]): void {
    for (const e of entries) {
      const range = rangeOf(e);
      if (range) this.ranges.push({ peerId: -1, range });
    }
  }

  /** The first taken entry overlapping `entry`, ignoring the peer `exceptPeerId`. */
  clash(entry: string, exceptPeerId?: number): boolean {
    const range = rangeOf(entry);
    if (!range) return false;
    return this.ranges.some((r) => r.peerId !== exceptPeerId && overlaps(r.range, range));
  }
}

/**
 * Checks addresses given for a peer: each a CIDR (or a bare address = a host), inside one of the
 * interface's networks when `inSubnet` is set, and not overlapping an address taken by another
 * peer (a restricted peer's address stays reserved). Returns the normalised entries.
 */
export function checkGivenAddresses(
  field: string,
  entries: readonly string[],
  networks: readonly Network[],
  taken: TakenAddresses,
  options: { inSubnet: boolean; exceptPeerId?: number },
): string[] {
  if (entries.length === 0) throw invalidInput(field, 'give at least one address');
  const out: string[] = [];
  for (const entry of entries) {
    const withPrefix = entry.includes('/') ? entry : `${entry}/${entry.includes(':') ? 128 : 32}`;
    const net = parseNetwork(withPrefix);
    if (!net) throw invalidInput(field, `"${entry}" is not an IP address or CIDR`);
    const normal = `${formatIp({ family: net.family, value: net.own })}/${net.prefix}`;
    if (
      options.inSubnet &&
      !networks.some((n) => n.family === net.family && net.first >= n.first && net.last <= n.last)
    )
      throw invalidInput(
        field,
        `${normal} is outside the configuration's subnet (${networks.map((n) => n.cidr).join(', ')})`,
      );
    if (networks.some((n) => n.family === net.family && n.own >= net.first && n.own <= net.last))
      throw conflict(`${normal} includes the interface's own address`, field, field);
    if (taken.clash(normal, options.exceptPeerId))
      throw conflict(`${normal} is already taken by another peer`, field, field);
    out.push(normal);
  }
  return out;
}

/**
 * The next `count` free addresses of the configuration: one per interface network (IPv4 and
 * IPv6), as `10.8.0.2/32, fd00:8::2/128`. Without enumerating the networks. Throws a conflict
 * naming how many fit when fewer are free.
 */
export function allocateAddresses(
  networks: readonly Network[],
  taken: TakenAddresses,
  count: number,
): string[] {
  if (networks.length === 0)
    throw conflict('the configuration has no interface address to allocate peers from');
  const perNetwork = networks.map((net) => freeAddresses(net, taken.usedIn(net), count));
  const fit = Math.min(...perNetwork.map((l) => l.length));
  if (fit === 0) throw conflict('No more available IP can assign');
  if (fit < count) throw conflict(`The maximum number of peers can add is ${fit}`);
  return Array.from({ length: count }, (_, i) =>
    networks
      .map((net, n) => `${perNetwork[n]?.[i] as string}/${net.family === 4 ? 32 : 128}`)
      .join(', '),
  );
}
