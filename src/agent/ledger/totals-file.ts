import { InterfaceTotals, type PeerTotals } from './interface-totals.js';

/** What the totals file holds: every interface's ledger, and when the panel was last heard. */
export interface TotalsState {
  /** The kernel's boot id when written: another one means every raw counter restarted. */
  readonly bootId: string | null;
  /** Unix ms of the panel's last authenticated call; null when never heard. */
  readonly panelHeardAt: number | null;
  readonly interfaces: ReadonlyMap<string, InterfaceTotals>;
}

/** Version 1: `peers` maps a public key to `[total_rx, total_tx, last_rx, last_tx]`. */
interface FileV1 {
  version: 1;
  boot_id: string | null;
  panel_heard_at: number | null;
  interfaces: Record<
    string,
    { epoch: string; incarnation: string | null; peers: Record<string, number[]> }
  >;
}

/** The totals file's text (compact: it is rewritten every few seconds at 10k+ peers). */
export function serializeTotals(s: TotalsState): string {
  const parts: string[] = [];
  for (const [name, t] of s.interfaces) {
    const peers: string[] = [];
    for (const [key, e] of t.peers)
      peers.push(`${JSON.stringify(key)}:[${e.totalRx},${e.totalTx},${e.lastRx},${e.lastTx}]`);
    parts.push(
      `${JSON.stringify(name)}:{"epoch":${JSON.stringify(t.epoch)},"incarnation":${JSON.stringify(t.incarnation)},"peers":{${peers.join(',')}}}`,
    );
  }
  return `{"version":1,"boot_id":${JSON.stringify(s.bootId)},"panel_heard_at":${JSON.stringify(s.panelHeardAt)},"interfaces":{${parts.join(',')}}}\n`;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** Error for a totals file that cannot be trusted: the caller starts new epochs. */
export class TotalsFileError extends Error {}

/** Reads the totals file's text; throws TotalsFileError naming what is wrong. */
export function parseTotals(text: string): TotalsState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TotalsFileError('not JSON');
  }
  const f = raw as Partial<FileV1> | null;
  if (typeof f !== 'object' || f === null || f.version !== 1)
    throw new TotalsFileError('unknown version');
  if (!isTextOrNull(f.boot_id)) throw new TotalsFileError('boot_id');
  const heard = f.panel_heard_at;
  if (heard !== null && !isCount(heard)) throw new TotalsFileError('panel_heard_at');
  if (typeof f.interfaces !== 'object' || f.interfaces === null)
    throw new TotalsFileError('interfaces');
  const interfaces = new Map<string, InterfaceTotals>();
  for (const [name, i] of Object.entries(f.interfaces)) {
    if (typeof i?.epoch !== 'string' || i.epoch === '' || !isTextOrNull(i.incarnation))
      throw new TotalsFileError(`interfaces.${name}`);
    if (typeof i.peers !== 'object' || i.peers === null)
      throw new TotalsFileError(`interfaces.${name}.peers`);
    const peers = new Map<string, PeerTotals>();
    for (const [key, v] of Object.entries(i.peers)) {
      if (!Array.isArray(v) || v.length !== 4 || !v.every(isCount))
        throw new TotalsFileError(`interfaces.${name}.peers.${key}`);
      const [totalRx, totalTx, lastRx, lastTx] = v as [number, number, number, number];
      peers.set(key, { totalRx, totalTx, lastRx, lastTx });
    }
    interfaces.set(name, new InterfaceTotals(i.epoch, i.incarnation, peers));
  }
  return { bootId: f.boot_id ?? null, panelHeardAt: heard ?? null, interfaces };
}
