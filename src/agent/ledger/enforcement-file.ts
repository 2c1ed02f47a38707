import { AGENT_CUT_REASONS, type Enforcement } from '../../shared/wire/agent-api.js';
import type { Allowance, InterfaceAllowances } from './allowance.js';

/** A record of a peer the agent cut, with the interface it was on. */
export type EnforcementRecord = Enforcement & { readonly interface: string };

/** What the enforcement file holds: the allowances per interface and the unacknowledged cuts. */
export interface EnforcementState {
  readonly allowances: ReadonlyMap<string, InterfaceAllowances>;
  readonly records: readonly EnforcementRecord[];
}

/** The enforcement file's text. Peers: `[remaining|null, base, expires_at_ms|null]`. */
export function serializeEnforcement(s: EnforcementState): string {
  const parts: string[] = [];
  for (const [name, a] of s.allowances) {
    const peers: string[] = [];
    for (const [key, p] of a.peers)
      peers.push(`${JSON.stringify(key)}:[${p.remaining},${p.base},${p.expiresAt}]`);
    parts.push(
      `${JSON.stringify(name)}:{"grace_ms":${a.graceMs},"epoch":${JSON.stringify(a.epoch)},"peers":{${peers.join(',')}}}`,
    );
  }
  return `{"version":1,"allowances":{${parts.join(',')}},"records":${JSON.stringify(s.records)}}\n`;
}

/** Error for an enforcement file that cannot be trusted. */
export class EnforcementFileError extends Error {}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isCountOrNull = (v: unknown) => v === null || isCount(v);
const isText = (v: unknown): v is string => typeof v === 'string';

function checkRecord(r: Record<string, unknown>, at: string): EnforcementRecord {
  const ok =
    [r.id, r.interface, r.public_key, r.at, r.epoch].every(isText) &&
    (AGENT_CUT_REASONS as readonly unknown[]).includes(r.reason) &&
    [r.total_rx, r.total_tx, r.used_bytes].every(isCount) &&
    isCountOrNull(r.remaining_bytes) &&
    (r.expires_at === null || isText(r.expires_at));
  if (!ok) throw new EnforcementFileError(at);
  return r as unknown as EnforcementRecord;
}

/** Reads the enforcement file's text; throws EnforcementFileError naming what is wrong. */
export function parseEnforcement(text: string): EnforcementState {
  let f: {
    version?: unknown;
    allowances?: Record<string, { grace_ms?: unknown; epoch?: unknown; peers?: unknown }>;
    records?: unknown;
  };
  try {
    f = JSON.parse(text) as typeof f;
  } catch {
    throw new EnforcementFileError('not JSON');
  }
  if (f?.version !== 1) throw new EnforcementFileError('unknown version');
  if (typeof f.allowances !== 'object' || f.allowances === null)
    throw new EnforcementFileError('allowances');
  const allowances = new Map<string, InterfaceAllowances>();
  for (const [name, a] of Object.entries(f.allowances)) {
    if (!isCount(a?.grace_ms) || !isText(a.epoch) || typeof a.peers !== 'object' || !a.peers)
      throw new EnforcementFileError(`allowances.${name}`);
    const peers = new Map<string, Allowance>();
    for (const [key, v] of Object.entries(a.peers as Record<string, unknown>)) {
      const [remaining, base, expiresAt] = Array.isArray(v) ? (v as unknown[]) : [];
      if (
        !Array.isArray(v) ||
        v.length !== 3 ||
        !isCountOrNull(remaining) ||
        !isCount(base) ||
        !isCountOrNull(expiresAt)
      )
        throw new EnforcementFileError(`allowances.${name}.peers.${key}`);
      peers.set(key, { remaining, base, expiresAt } as Allowance);
    }
    allowances.set(name, { graceMs: a.grace_ms, epoch: a.epoch, peers });
  }
  if (!Array.isArray(f.records)) throw new EnforcementFileError('records');
  const records = f.records.map((r, i) => {
    if (typeof r !== 'object' || r === null) throw new EnforcementFileError(`records[${i}]`);
    return checkRecord(r as Record<string, unknown>, `records[${i}]`);
  });
  return { allowances, records };
}
