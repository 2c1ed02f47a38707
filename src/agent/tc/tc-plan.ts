import { RATE_BPS } from '../../shared/rates.js';
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

/**
 * What this agent put on a device side, as far as it knows: the side exists, with these filter
 * tables on its root, and these groups (by qdisc major), each with its own tables.
 */
export interface SideState {
  readonly tables: ReadonlySet<number>;
  readonly groups: ReadonlyMap<number, ReadonlySet<number>>;
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

/**
 * Peers' classes sit in groups of 64 slots, each group an HTB qdisc of its own under a class of
 * the root (rate: the highest there is, so it never limits). The kernel walks every class of a
 * qdisc each time it makes one (to rebind filters), so one flat qdisc makes a rebuild quadratic
 * in the peers; in groups each new class costs a walk over at most 64.
 */
export const GROUP_SLOTS = 64;
/** The group qdisc majors start here: above every slot's leaf qdisc major (the slots end below). */
export const GROUP_MAJOR_BASE = 0xf000;
/** The major of the group qdisc a slot's class sits in. */
export const groupOf = (slot: number) => GROUP_MAJOR_BASE + Math.floor(slot / GROUP_SLOTS);
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

/** A filter table on qdisc `parent` and the link from its priority's root table into it. */
function tableSetup(dev: string, parent: string, f: FilterPlace, hashAt: number): string[][] {
  const hashed = f.table === 0x10 || f.table === 0x11;
  const common = ['dev', dev, 'parent', parent, 'prio', String(f.prio)];
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

/** The class of a peer's slot, in its group: `f000:2`. */
const classOf = (slot: number) => `${hex(groupOf(slot))}:${hex(slot)}`;

function htbClass(dev: string, parent: string, classid: string, bps: number): string[] {
  const burst = String(burstBytes(bps));
  return [
    'class',
    'replace',
    'dev',
    dev,
    'parent',
    parent,
    'classid',
    classid,
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
  ];
}

/** A group: its class under the root (never the limit) and its own HTB qdisc. */
function groupSetup(dev: string, major: number): string[][] {
  return [
    htbClass(dev, '1:', `1:${hex(major)}`, RATE_BPS.max),
    ['qdisc', 'add', 'dev', dev, 'parent', `1:${hex(major)}`, 'handle', `${hex(major)}:`, 'htb'],
  ];
}

function classCommands(dev: string, p: ShapedPeer, bps: number, caps: TcCaps, fresh: boolean) {
  const cmds: string[][] = [htbClass(dev, `${hex(groupOf(p.slot))}:`, classOf(p.slot), bps)];
  const leaf = caps.fqCodel ? ['fq_codel'] : ['pfifo', 'limit', String(fifoPackets(bps))];
  if (fresh || !caps.fqCodel)
    cmds.push([
      'qdisc',
      'replace',
      'dev',
      dev,
      'parent',
      classOf(p.slot),
      'handle',
      `${hex(p.slot)}:`,
      ...leaf,
    ]);
  return cmds;
}

/** A peer's filter on qdisc `parent` (the root, or its group's), sending to `flowid`. */
function filterAdd(
  dev: string,
  parent: string,
  field: string,
  f: FilterPlace,
  flowid: string,
): string[] {
  return [
    'filter',
    'replace',
    'dev',
    dev,
    'parent',
    parent,
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
    flowid,
  ];
}

function filterDel(dev: string, parent: string, f: FilterPlace): string[] {
  return [
    'filter',
    'del',
    'dev',
    dev,
    'parent',
    parent,
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
 * uploads); a new one is set up, then gets every changed peer. A peer's filters come twice: on
 * the root (to its group) and in its group (to its class); a group is made with its first peer
 * and stays (empty, it costs nothing) until the side goes. On a side that stays, removed
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
    const groups = new Map([...(had?.groups ?? [])].map(([g, t]) => [g, new Set(t)]));
    for (const c of changes) {
      const old = had && onSide(c.before, side) ? c.before : undefined;
      const now = onSide(c.after, side) ? c.after : undefined;
      const sameClass = old !== undefined && now !== undefined && old.slot === now.slot;
      const keep = new Set(sameClass ? now.filters.map(handleOf) : []);
      if (old) {
        const group = `${hex(groupOf(old.slot))}:`;
        for (const f of old.filters)
          if (!keep.has(handleOf(f)))
            dels.push(
              { args: filterDel(dev, '1:', f), peer: c.key },
              { args: filterDel(dev, group, f), peer: c.key },
            );
        if (!sameClass)
          dels.push({
            args: ['class', 'del', 'dev', dev, 'classid', classOf(old.slot)],
            peer: c.key,
          });
      }
      if (!now) continue;
      const major = groupOf(now.slot);
      let inner = groups.get(major);
      if (!inner) {
        groups.set(major, (inner = new Set()));
        for (const args of groupSetup(dev, major)) adds.push({ args, peer: null });
      }
      const bps = rateOf(now.limit, side) as number;
      if (!sameClass || rateOf(old.limit, side) !== bps)
        for (const args of classCommands(dev, now, bps, caps, !sameClass))
          adds.push({ args, peer: c.key });
      const had2 = new Set(sameClass ? old.filters.map(handleOf) : []);
      const group = `${hex(major)}:`;
      for (const f of now.filters) {
        const hashAt = f.family === 4 ? v4At : v6At;
        for (const [t, parent] of [
          [tables, '1:'],
          [inner, group],
        ] as const)
          if (!t.has(f.table)) {
            t.add(f.table);
            for (const args of tableSetup(dev, parent, f, hashAt)) adds.push({ args, peer: null });
          }
        if (!had2.has(handleOf(f)))
          adds.push(
            { args: filterAdd(dev, '1:', field, f, `1:${hex(major)}`), peer: c.key },
            { args: filterAdd(dev, group, field, f, classOf(now.slot)), peer: c.key },
          );
      }
    }
    next[side] = { tables, groups };
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
