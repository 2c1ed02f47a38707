import { parseUtcDate } from '../../shared/utc-date.js';
import type { AllowancesPut, Enforcement } from '../../shared/wire/agent-api.js';
import type { Allowance } from '../ledger/allowance.js';
import { invalidInput, notFound } from './errors.js';
import { checkInterface } from './interfaces.js';
import type { NodeLedger } from './node-ledger.js';
import type { AgentDeps } from './ports.js';

/**
 * Replaces the interface's allowances. Each peer's remaining bytes count from `base_total` when
 * the panel names the current epoch, else from the peer's totals now (read first). Checks the
 * whole body before anything is kept.
 */
export async function putAllowances(
  deps: AgentDeps,
  ledger: NodeLedger,
  iface: string,
  body: AllowancesPut,
): Promise<void> {
  checkInterface(deps, iface);
  const seen = new Set<string>();
  const expiries = body.peers.map((p, i) => {
    if (seen.has(p.public_key)) throw invalidInput(`peers[${i}].public_key`, 'appears twice');
    seen.add(p.public_key);
    if (p.expires_at === null) return null;
    const at = parseUtcDate(p.expires_at);
    if (!at) throw invalidInput(`peers[${i}].expires_at`, 'must be an ISO 8601 date-time');
    return at.getTime();
  });
  await deps.lock.run(iface, async () => {
    const read = await ledger.counters.readLocked(iface).catch(() => null);
    if (!read && (await deps.confs.read(iface)) === null) throw notFound(`interface ${iface}`);
    const totals = read ?? ledger.counters.ensure(iface);
    const sameEpoch = body.epoch === totals.epoch;
    const peers = new Map<string, Allowance>();
    body.peers.forEach((p, i) => {
      const base =
        sameEpoch && p.base_total !== undefined ? p.base_total : totals.used(p.public_key);
      peers.set(p.public_key, {
        remaining: p.remaining_bytes,
        base,
        expiresAt: expiries[i] ?? null,
      });
    });
    await ledger.enforcer.setAllowances(iface, {
      graceMs: body.grace_seconds * 1000,
      epoch: totals.epoch,
      peers,
    });
  });
}

/** The interface's records of peers the agent cut, not yet acknowledged. */
export function listEnforcements(
  deps: AgentDeps,
  ledger: NodeLedger,
  iface: string,
): Enforcement[] {
  checkInterface(deps, iface);
  return ledger.enforcer.list(iface);
}

/** Acknowledges records (the panel has applied them): they are forgotten. Idempotent. */
export async function ackEnforcements(
  deps: AgentDeps,
  ledger: NodeLedger,
  iface: string,
  ids: readonly string[],
): Promise<void> {
  checkInterface(deps, iface);
  await ledger.enforcer.ack(iface, ids);
}
