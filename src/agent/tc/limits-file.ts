import { parseNetwork } from '../../shared/ip.js';
import { InterfaceShape, tableOf, type FilterPlace, type ShapedPeer } from './interface-shape.js';
import { RATE_BPS } from '../../shared/rates.js';

/** File name in the agent's state folder. */
export const LIMITS_FILE = 'rate-limits.json';

/**
 * Version 1: per interface, per peer `{slot, down, up, filters: [[cidr, node], …]}`; rates in
 * bit/s or null. The tables, buckets and priorities follow from each CIDR.
 */
export function serializeLimits(shapes: ReadonlyMap<string, InterfaceShape>): string {
  const parts: string[] = [];
  for (const [name, shape] of shapes) {
    if (shape.size === 0) continue;
    const peers: string[] = [];
    for (const [key, p] of shape.peers) {
      const filters = p.filters.map((f) => `[${JSON.stringify(f.cidr)},${f.node}]`).join(',');
      peers.push(
        `${JSON.stringify(key)}:{"slot":${p.slot},"down":${p.limit.downloadBps},"up":${p.limit.uploadBps},"filters":[${filters}]}`,
      );
    }
    parts.push(`${JSON.stringify(name)}:{${peers.join(',')}}`);
  }
  return `{"version":1,"interfaces":{${parts.join(',')}}}\n`;
}

/** A limits file that cannot be trusted (the agent then starts with no limits; the panel re-sends). */
export class LimitsFileError extends Error {}

const isRate = (v: unknown): v is number | null =>
  v === null ||
  (Number.isSafeInteger(v) && (v as number) >= RATE_BPS.min && (v as number) <= RATE_BPS.max);

/** Reads the limits file's text; throws LimitsFileError naming what is wrong. */
export function parseLimits(text: string): Map<string, InterfaceShape> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LimitsFileError('not JSON');
  }
  const f = raw as { version?: unknown; interfaces?: unknown } | null;
  if (typeof f !== 'object' || f === null || f.version !== 1)
    throw new LimitsFileError('unknown version');
  if (typeof f.interfaces !== 'object' || f.interfaces === null)
    throw new LimitsFileError('interfaces');
  const out = new Map<string, InterfaceShape>();
  for (const [name, peersRaw] of Object.entries(f.interfaces as Record<string, unknown>)) {
    if (typeof peersRaw !== 'object' || peersRaw === null)
      throw new LimitsFileError(`interfaces.${name}`);
    const peers: [string, ShapedPeer][] = [];
    for (const [key, v] of Object.entries(peersRaw as Record<string, unknown>)) {
      const at = `interfaces.${name}.${key}`;
      const p = v as { slot?: unknown; down?: unknown; up?: unknown; filters?: unknown } | null;
      if (typeof p !== 'object' || p === null || !Number.isSafeInteger(p.slot))
        throw new LimitsFileError(at);
      if (!isRate(p.down) || !isRate(p.up) || (p.down === null && p.up === null))
        throw new LimitsFileError(`${at}: rates`);
      if (!Array.isArray(p.filters)) throw new LimitsFileError(`${at}.filters`);
      const filters = p.filters.map((e: unknown): FilterPlace => {
        const [cidr, node] = Array.isArray(e) ? (e as unknown[]) : [];
        const net = typeof cidr === 'string' ? parseNetwork(cidr) : null;
        if (!net || net.cidr !== cidr || !Number.isSafeInteger(node))
          throw new LimitsFileError(`${at}.filters`);
        const { table, prio, hashed } = tableOf(net.family, net.prefix);
        const bucket = hashed ? Number(net.first & 0xffn) : 0;
        return { cidr, family: net.family, table, bucket, node: node as number, prio };
      });
      peers.push([
        key,
        { slot: p.slot as number, limit: { downloadBps: p.down, uploadBps: p.up }, filters },
      ]);
    }
    try {
      out.set(name, InterfaceShape.from(peers));
    } catch (e) {
      throw new LimitsFileError(`interfaces.${name}: ${(e as Error).message}`);
    }
  }
  return out;
}
