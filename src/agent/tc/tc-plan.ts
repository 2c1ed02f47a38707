import type { FilterPlace, PeerChange, ShapedPeer } from './interface-shape.js';
import { SHAPE_SIDES, rateOf, type ShapeSide } from './rate-limit.js';

/** One `tc` command (its arguments, without `tc`), and the peer it is for (null: the device's). */
export interface TcCommand {
  readonly args: readonly string[];
  readonly peer: string | null;
}

/** What the kernel can do, found once by probing. */
export interface TcCaps {
  /** fq_codel as each class's queue; else a pfifo sized to the rate. */
  readonly fqCodel: boolean;
}

/** The devices of one interface: the WireGuard link and the IFB its ingress is redirected to. */
export interface ShapeDevices {
  readonly iface: string;
  readonly ifb: string;
}

/** What this agent put on a device side, as far as it knows: the side exists, with these tables. */
export interface SideState {
  readonly tables: ReadonlySet<number>;
}

/** The agent's picture of the kernel's shaping of one interface (null side: nothing there). */
export interface KernelShape {
  readonly download: SideState | null;
  readonly upload: SideState | null;
}

export const NOTHING_SHAPED: KernelShape = { download: null, upload: null };

/** A plan: `ip link` calls before the tc commands (IFB made), the tc commands, `ip` calls after. */
export interface TcPlan {
  readonly before: readonly (readonly string[])[];
  readonly tc: readonly TcCommand[];
  readonly after: readonly (readonly string[])[];
  /** The kernel's shaping once the plan has run. */
  readonly next: KernelShape;
}

const hex = (n: number) => n.toString(16);
/** Bytes the class may send at once: 10 ms at its rate, at least two full packets. */
export const burstBytes = (bps: number) => Math.max(3028, Math.ceil(bps / 8 / 100));
/** A pfifo of about 200 ms at the rate (16 to 1000 packets), when fq_codel is missing. */
export const fifoPackets = (bps: number) =>
  Math.min(1000, Math.max(16, Math.ceil(bps / 8 / 5 / 1500)));

/** The device that shapes a side, and which address of a packet names the peer there. */
function sideDevice(d: ShapeDevices, side: ShapeSide) {
  return side === 'download'
    ? { dev: d.iface, field: 'dst', v4At: 16, v6At: 36 }
    : { dev: d.ifb, field: 'src', v4At: 12, v6At: 20 };
}

const proto = (f: Pick<FilterPlace, 'family'>) => (f.family === 4 ? 'ip' : 'ipv6');
const onSide = (p: ShapedPeer | undefined, side: ShapeSide) =>
  p !== undefined && rateOf(p.limit, side) !== null;
const handleOf = (f: FilterPlace) => `${hex(f.table)}:${hex(f.bucket)}:${hex(f.node)}`;

/** Commands that make the side's root (and, for uploads, the redirect into the IFB). */
function sideSetup(d: ShapeDevices, side: ShapeSide): string[][] {
  if (side === 'download') return [['qdisc', 'add', 'dev', d.iface, 'root', 'handle', '1:', 'htb']];
  return [
    ['qdisc', 'add', 'dev', d.iface, 'handle', 'ffff:', 'ingress'],
    [
      'filter',
      'add',
      'dev',
      d.iface,
      'parent',
      'ffff:',
      'prio',
      '1',
      'protocol',
      'all',
      'u32',
      'match',
      'u32',
      '0',
      '0',
      'action',
      'mirred',
      'egress',
      'redirect',
      'dev',
      d.ifb,
    ],
    // No default class: traffic of unlimited peers leaves unshaped (HTB's direct queue).
    ['qdisc', 'add', 'dev', d.ifb, 'root', 'handle', '1:', 'htb'],
  ];
}

/** A filter table and the link from its priority's root table into it. */
function tableSetup(dev: string, f: FilterPlace, hashAt: number): string[][] {
  const hashed = f.table === 0x10 || f.table === 0x11;
  const common = ['dev', dev, 'parent', '1:', 'prio', String(f.prio)];
  return [
    [
      'filter',
      'add',
      ...common,
      'handle',
      `${hex(f.table)}:`,
      'protocol',
      proto(f),
      'u32',
      'divisor',
      hashed ? '256' : '1',
    ],
    [
      'filter',
      'add',
      ...common,
      'protocol',
      proto(f),
      'u32',
      'match',
      'u32',
      '0',
      '0',
      ...(hashed ? ['hashkey', 'mask', '0x000000ff', 'at', String(hashAt)] : []),
      'link',
      `${hex(f.table)}:`,
    ],
  ];
}

function classCommands(dev: string, p: ShapedPeer, bps: number, caps: TcCaps, fresh: boolean) {
  const burst = String(burstBytes(bps));
  const cmds: string[][] = [
    [
      'class',
      'replace',
      'dev',
      dev,
      'parent',
      '1:',
      'classid',
      `1:${hex(p.slot)}`,
      'htb',
      'rate',
      `${bps}bit`,
      'ceil',
      `${bps}bit`,
      'burst',
      burst,
      'cburst',
      burst,
      'quantum',
      '1514',
    ],
  ];
  const leaf = caps.fqCodel ? ['fq_codel'] : ['pfifo', 'limit', String(fifoPackets(bps))];
  if (fresh || !caps.fqCodel)
    cmds.push([
      'qdisc',
      'replace',
      'dev',
      dev,
      'parent',
      `1:${hex(p.slot)}`,
      'handle',
      `${hex(p.slot)}:`,
      ...leaf,
    ]);
  return cmds;
}

function filterAdd(dev: string, field: string, f: FilterPlace, slot: number): string[] {
  return [
    'filter',
    'replace',
    'dev',
    dev,
    'parent',
    '1:',
    'prio',
    String(f.prio),
    'handle',
    handleOf(f),
    'protocol',
    proto(f),
    'u32',
    'ht',
    `${hex(f.table)}:${hex(f.bucket)}:`,
    'match',
    f.family === 4 ? 'ip' : 'ip6',
    field,
    f.cidr,
    'flowid',
    `1:${hex(slot)}`,
  ];
}

function filterDel(dev: string, f: FilterPlace): string[] {
  return [
    'filter',
    'del',
    'dev',
    dev,
    'parent',
    '1:',
    'prio',
    String(f.prio),
    'handle',
    handleOf(f),
    'protocol',
    proto(f),
    'u32',
  ];
}

/**
 * The commands that take the kernel from `kernel` to the shaping the changes lead to. `want`
 * says which sides should exist afterwards (any peer limited in that direction). Pure.
 *
 * Per side: a side no longer wanted is torn down whole (its root qdisc; the IFB link for
 * uploads); a new one is set up, then gets every changed peer. On a side that stays, removed
 * filters and classes go first (so a freed id can be reused in the same plan), then classes are
 * replaced and new filters added — a peer whose rate alone changed costs one `class replace`.
 */
export function planChanges(
  d: ShapeDevices,
  kernel: KernelShape,
  changes: readonly PeerChange[],
  want: Readonly<Record<ShapeSide, boolean>>,
  caps: TcCaps,
): TcPlan {
  const before: string[][] = [];
  const after: string[][] = [];
  const dels: TcCommand[] = [];
  const adds: TcCommand[] = [];
  const next: Record<ShapeSide, SideState | null> = { ...kernel };
  for (const side of SHAPE_SIDES) {
    const had = kernel[side];
    const { dev, field, v4At, v6At } = sideDevice(d, side);
    if (had && !want[side]) {
      dels.push({
        args: ['qdisc', 'del', 'dev', d.iface, side === 'download' ? 'root' : 'ingress'],
        peer: null,
      });
      if (side === 'upload') after.push(['link', 'del', d.ifb]);
      next[side] = null;
      continue;
    }
    if (!want[side]) continue;
    if (!had) {
      if (side === 'upload')
        before.push(['link', 'add', d.ifb, 'type', 'ifb'], ['link', 'set', d.ifb, 'up']);
      for (const args of sideSetup(d, side)) adds.push({ args, peer: null });
    }
    const tables = new Set(had?.tables ?? []);
    for (const c of changes) {
      const old = had && onSide(c.before, side) ? c.before : undefined;
      const now = onSide(c.after, side) ? c.after : undefined;
      const sameClass = old !== undefined && now !== undefined && old.slot === now.slot;
      const keep = new Set(sameClass ? now.filters.map(handleOf) : []);
      for (const f of old?.filters ?? [])
        if (!keep.has(handleOf(f))) dels.push({ args: filterDel(dev, f), peer: c.key });
      if (old && !sameClass)
        dels.push({
          args: ['class', 'del', 'dev', dev, 'classid', `1:${hex(old.slot)}`],
          peer: c.key,
        });
      if (!now) continue;
      const bps = rateOf(now.limit, side) as number;
      if (!sameClass || rateOf(old.limit, side) !== bps)
        for (const args of classCommands(dev, now, bps, caps, !sameClass))
          adds.push({ args, peer: c.key });
      const had2 = new Set(sameClass ? old.filters.map(handleOf) : []);
      for (const f of now.filters) {
        if (!tables.has(f.table)) {
          tables.add(f.table);
          for (const args of tableSetup(dev, f, f.family === 4 ? v4At : v6At))
            adds.push({ args, peer: null });
        }
        if (!had2.has(handleOf(f)))
          adds.push({ args: filterAdd(dev, field, f, now.slot), peer: c.key });
      }
    }
    next[side] = { tables };
  }
  return { before, tc: [...dels, ...adds], after, next };
}

/**
 * What a full rebuild removes first, each step allowed to fail (there may be nothing to remove):
 * the interface's root and ingress qdiscs (with every class and filter under them) and the IFB.
 */
export function cleanupPlan(d: ShapeDevices): { tc: string[][]; links: string[][] } {
  return {
    tc: [
      ['qdisc', 'del', 'dev', d.iface, 'root'],
      ['qdisc', 'del', 'dev', d.iface, 'ingress'],
    ],
    links: [['link', 'del', d.ifb]],
  };
}

/** Every shaped peer as a change from nothing (a full rebuild after `cleanupPlan`). */
export function allAdded(peers: ReadonlyMap<string, ShapedPeer>): PeerChange[] {
  return [...peers].map(([key, after]) => ({ key, before: undefined, after }));
}
