import { randomBytes, randomInt } from 'node:crypto';
import { ip } from './exec.js';

/** Random lowercase prefix for names that must be unique machine-wide (e.g. `wk3f9`). */
export function randomPrefix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const tail = [...randomBytes(4)].map((b) => alphabet[b % alphabet.length]).join('');
  return `w${tail}`;
}

const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0) >>> 0;

/** Parses `a.b.c.d/len` (or a bare address as /32); null for anything else (v6, `default`). */
function v4Range(cidr: string): { start: number; end: number } | null {
  const [addr, lenText] = cidr.split('/');
  if (!addr || !/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return null;
  const len = lenText === undefined ? 32 : Number(lenText);
  const size = 2 ** (32 - len);
  const start = toInt(addr) - (toInt(addr) % size);
  return { start, end: start + size - 1 };
}

/** The tunnel range the lab uses by convention; the underlay never overlaps it. */
export const TUNNEL_SUPERNET = '10.200.0.0/16';

/**
 * Picks a random `10.X.Y.0/24` that overlaps no route in any table of the root namespace (nor
 * the lab's tunnel range), and returns its first three octets (`"10.X.Y"`).
 */
export async function pickUnderlayBase(): Promise<string> {
  const routes = JSON.parse(await ip(null, ['-j', '-4', 'route', 'show', 'table', 'all'])) as {
    dst: string;
  }[];
  const taken = [TUNNEL_SUPERNET, ...routes.map((r) => r.dst)]
    .map(v4Range)
    .filter((r): r is { start: number; end: number } => r !== null);
  for (let i = 0; i < 200; i++) {
    const base = `10.${randomInt(1, 255)}.${randomInt(0, 256)}`;
    const r = v4Range(`${base}.0/24`)!;
    if (!taken.some((t) => t.start <= r.end && r.start <= t.end)) return base;
  }
  throw new Error('no free 10.X.Y.0/24 found for the lab underlay');
}
