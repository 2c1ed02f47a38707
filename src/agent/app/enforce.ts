import { randomBytes } from 'node:crypto';
import type { InterfaceTotals } from '../ledger/interface-totals.js';
import type { NodeLedger } from './node-ledger.js';
import { removePeerLocked } from './peers.js';
import type { AgentDeps } from './ports.js';

export interface EnforceLog {
  warn(obj: object, msg: string): void;
}

/**
 * Cuts the interface's peers that crossed their allowance (or whose date passed) while the panel
 * is away, and records each cut; the caller holds the interface's lock and has just read the
 * counters into `totals`. A removal that fails is logged and tried again at the next reading.
 */
export async function enforceLocked(
  deps: AgentDeps,
  ledger: NodeLedger,
  iface: string,
  totals: InterfaceTotals,
  now: number,
  log: EnforceLog,
): Promise<number> {
  let cut = 0;
  for (const due of ledger.enforcer.due(iface, totals, now)) {
    try {
      await removePeerLocked(deps, iface, due.publicKey); // reads the counters first
    } catch (e) {
      log.warn({ interface: iface, err: (e as Error).message }, 'could not cut a peer');
      continue;
    }
    const e = totals.peers.get(due.publicKey);
    const [totalRx, totalTx] = [e?.totalRx ?? 0, e?.totalTx ?? 0];
    const { remaining, base, expiresAt } = due.allowance;
    const record = {
      id: randomBytes(9).toString('base64url'),
      interface: iface,
      public_key: due.publicKey,
      at: new Date(now).toISOString(),
      reason: due.reason,
      total_rx: totalRx,
      total_tx: totalTx,
      epoch: totals.epoch,
      used_bytes: Math.max(0, totalRx + totalTx - base),
      remaining_bytes: remaining,
      expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    };
    log.warn(
      {
        interface: iface,
        peer: `${due.publicKey.slice(0, 8)}…`,
        reason: due.reason,
        used_bytes: record.used_bytes,
        remaining_bytes: remaining,
      },
      'panel away: peer cut by the agent',
    );
    await ledger.enforcer.record(record);
    cut++;
  }
  return cut;
}
