import { parseNetwork } from '../../shared/ip.js';
import { IdPool } from './id-pool.js';
import { isLimited, rateOf, type RateLimit, type ShapeSide } from './rate-limit.js';

/**
 * Where one allowed IP of a limited peer is matched. Host addresses (/32, /128) sit in a hash
 * table of 256 buckets keyed on the address's last byte, so a packet is compared with the few
 * addresses of its bucket, not with every peer's; other prefixes sit in a table of their own per
 * prefix length (longest first, as WireGuard routes), each searched in order.
 */
export interface FilterPlace {
  /** Canonical CIDR (`10.8.0.0/24`, `fd00::5/128`). */
  readonly cidr: string;
  readonly family: 4 | 6;
  /** u32 hash table id (a 12-bit tc handle, printed in hex). */
  readonly table: number;
  readonly bucket: number;
  /** The filter's node id in its bucket (1 to 0xfff). */
  readonly node: number;
  /** The filter priority of the table (decimal; lower runs first). */
  readonly prio: number;
}

/** A limited peer as it should be shaped: its class slot, rates and filters. */
export interface ShapedPeer {
  /** The HTB class minor and its leaf qdisc's major (2 to 0xefff) on both devices. */
  readonly slot: number;
  readonly limit: RateLimit;
  readonly filters: readonly FilterPlace[];
}

/** One peer's shape before and after a change (undefined: not shaped). */
export interface PeerChange {
  readonly key: string;
  readonly before: ShapedPeer | undefined;
  readonly after: ShapedPeer | undefined;
}

/** The table a prefix goes in, its priority, and whether it is hashed. */
export function tableOf(
  family: 4 | 6,
  prefix: number,
): { table: number; prio: number; hashed: boolean } {
  const bits = family === 4 ? 32 : 128;
  if (prefix === bits)
    return { table: family === 4 ? 0x10 : 0x11, prio: family === 4 ? 10 : 11, hashed: true };
  return family === 4
    ? { table: 0x100 + prefix, prio: 100 + (32 - prefix), hashed: false }
    : { table: 0x200 + prefix, prio: 200 + (128 - prefix), hashed: false };
}

/** Thrown when a peer cannot be placed (an allowed IP that does not parse, no id left). */
export class ShapeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const MAX_NODE = 0xfff;
// Below the group qdisc majors (tc-plan.ts: GROUP_MAJOR_BASE), which the leaf majors must not meet.
const SLOTS = { min: 2, max: 0xefff } as const;

/**
 * The desired shaping of one interface: which peers are limited, at what rates, with which class
 * slot and filter ids. Ids are kept for as long as a peer (and each of its addresses) stays, so
 * a change touches only that peer's classes and filters; they are saved with the limits, so an
 * agent restart rebuilds exactly the same handles.
 */
export class InterfaceShape {
  private readonly map = new Map<string, ShapedPeer>();
  private readonly slots = new IdPool(SLOTS.min, SLOTS.max);
  private readonly nodes = new Map<string, IdPool>();
  private readonly sides = { download: 0, upload: 0 };

  /** Loads saved peers (ids as saved); throws ShapeError when two clash. */
  static from(peers: Iterable<readonly [string, ShapedPeer]>): InterfaceShape {
    const s = new InterfaceShape();
    for (const [key, p] of peers) {
      if (!s.slots.claim(p.slot)) throw new ShapeError(`${key}.slot`, 'out of range or used twice');
      for (const f of p.filters)
        if (!s.pool(f.table, f.bucket).claim(f.node))
          throw new ShapeError(`${key}.filters`, `${f.cidr}: node out of range or used twice`);
      s.map.set(key, p);
      s.count(p, 1);
    }
    return s;
  }

  get peers(): ReadonlyMap<string, ShapedPeer> {
    return this.map;
  }

  /** Peers limited in this direction. */
  limitedOn(side: ShapeSide): number {
    return this.sides[side];
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * Sets a peer's limit (none: it is no longer shaped). Keeps its slot, and the node of every
   * allowed IP it still has. Throws ShapeError (nothing changed) for an allowed IP that does not
   * parse or when ids run out.
   */
  set(key: string, allowedIps: readonly string[], limit: RateLimit): PeerChange {
    const before = this.map.get(key);
    if (!isLimited(limit)) return this.delete(key);
    const wanted = placesWanted(allowedIps);
    const kept = new Map((before?.filters ?? []).map((f) => [f.cidr, f]));
    const slot = before?.slot ?? this.slots.take();
    if (slot === null)
      throw new ShapeError('rate_limit', `more than ${SLOTS.max - 1} limited peers`);
    const filters: FilterPlace[] = [];
    const taken: FilterPlace[] = [];
    try {
      for (const w of wanted) {
        const old = kept.get(w.cidr);
        if (old) {
          filters.push(old);
          continue;
        }
        const node = this.pool(w.table, w.bucket).take();
        if (node === null)
          throw new ShapeError(
            'allowed_ips',
            `more than ${MAX_NODE} limited addresses like ${w.cidr}`,
          );
        const f = { ...w, node };
        taken.push(f);
        filters.push(f);
      }
    } catch (e) {
      for (const f of taken) this.pool(f.table, f.bucket).free(f.node);
      if (!before) this.slots.free(slot);
      throw e;
    }
    const keep = new Set(filters);
    for (const f of before?.filters ?? [])
      if (!keep.has(f)) this.pool(f.table, f.bucket).free(f.node);
    const after: ShapedPeer = { slot, limit, filters };
    if (before) this.count(before, -1);
    this.count(after, 1);
    this.map.set(key, after);
    return { key, before, after };
  }

  /** Stops shaping a peer (nothing when it was not shaped). */
  delete(key: string): PeerChange {
    const before = this.map.get(key);
    if (before) {
      this.map.delete(key);
      this.count(before, -1);
      this.slots.free(before.slot);
      for (const f of before.filters) this.pool(f.table, f.bucket).free(f.node);
    }
    return { key, before, after: undefined };
  }

  private pool(table: number, bucket: number): IdPool {
    const id = `${table}:${bucket}`;
    let p = this.nodes.get(id);
    if (!p) this.nodes.set(id, (p = new IdPool(1, MAX_NODE)));
    return p;
  }

  private count(p: ShapedPeer, by: 1 | -1): void {
    if (rateOf(p.limit, 'download') !== null) this.sides.download += by;
    if (rateOf(p.limit, 'upload') !== null) this.sides.upload += by;
  }
}

/** Where each allowed IP goes (without node ids), duplicates dropped, in the given order. */
function placesWanted(allowedIps: readonly string[]): Omit<FilterPlace, 'node'>[] {
  const seen = new Set<string>();
  const out: Omit<FilterPlace, 'node'>[] = [];
  allowedIps.forEach((ip, i) => {
    const net = parseNetwork(ip);
    if (!net) throw new ShapeError(`allowed_ips[${i}]`, 'must be a CIDR such as 10.8.0.2/32');
    if (seen.has(net.cidr)) return;
    seen.add(net.cidr);
    const { table, prio, hashed } = tableOf(net.family, net.prefix);
    out.push({
      cidr: net.cidr,
      family: net.family,
      table,
      bucket: hashed ? Number(net.first & 0xffn) : 0,
      prio,
    });
  });
  return out;
}
