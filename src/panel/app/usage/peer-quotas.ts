import { notFound } from '../errors.js';
import { manualResetEvent, type PeerEvent } from '../events/peer-event.js';
import type { PolicyPass, PolicyRunner } from './policy-runner.js';
import type { PeerDirectory, PeerQuotaPatch, UsageStore, UsageUnitOfWork } from './ports.js';
import { isEmptyChange, quotaPatchFor, type QuotaChange } from './quota-change.js';
import type { UsagePeerRow } from './usage-row.js';

/** Which part of the period usage resetPeerData zeroes (WGDashboard's `type`). */
export type ResetType = 'total' | 'receive' | 'sent';

export interface PeerQuotasDeps {
  readonly directory: PeerDirectory;
  readonly store: UsageStore;
  readonly policy: PolicyRunner;
}

/**
 * How long a request waits for the node to follow the policy (as long as a peer write waits, see
 * applyToNode): a slower node goes on converging in the background.
 */
const API_WAIT = { convergeWaitMs: 10_000 } as const;

/** The peers after a quota change, and what the policy did about it. */
export interface QuotaResult {
  readonly rows: UsagePeerRow[];
  readonly pass: PolicyPass;
}

/**
 * Owns every change of a peer's quota (limit, expiry, warning threshold, reset schedule, speed
 * limits) and of
 * its period usage, whoever asks: the seed's endpoints, updatePeerSettings, addPeers. The change
 * and the policy it triggers run in one transaction, then the ledger cache is cleared, the
 * enforcement timer re-planned and the configuration converged, all within the request: a
 * lowered limit or an earlier expiry cuts the peer off, a raised one restores it, before the
 * answer.
 */
export class PeerQuotas {
  constructor(private readonly deps: PeerQuotasDeps) {}

  /** Resolves a configuration name and public keys to peer ids; 404 naming the first unknown. */
  async resolve(configName: string, keys: readonly string[]): Promise<number[]> {
    const cfg = await this.deps.directory.configurationByName(configName);
    if (!cfg) throw notFound('configuration', configName);
    const ids = await this.deps.directory.peerIdsByKeys(cfg.id, keys);
    const missing = keys.find((k) => !ids.has(k));
    if (missing !== undefined) throw notFound('peer', missing);
    return [...new Set(keys.map((k) => ids.get(k) as number))];
  }

  /**
   * Applies `change` (see parseQuotaChange) to these peers and runs the policy for them; an
   * empty change still runs the policy (a peer just created with quota fields). Throws
   * invalidInput (nothing written) for a reset anchor a peer's schedule does not take.
   */
  async change(ids: readonly number[], change: QuotaChange): Promise<QuotaResult> {
    const pass = await this.deps.policy.runForPeers(
      ids,
      isEmptyChange(change)
        ? undefined
        : async (uow, now) => {
            await writeChange(uow, await uow.peersByIds(ids), change, now);
            return [];
          },
      API_WAIT,
    );
    const rows = await this.read(ids);
    if (changesShaping(change)) {
      // A speed limit changes what the node should shape, whatever the policy decided.
      const more = new Set(rows.map((r) => r.configuration_id));
      for (const id of pass.configurations) more.delete(id);
      if (more.size > 0)
        await this.deps.policy.afterCommit(
          { events: [], changes: [], configurations: more },
          API_WAIT.convergeWaitMs,
        );
    }
    return { rows, pass };
  }

  /** WGDashboard's resetPeerData: zeroes period usage (both, rx or tx); one `reset` event each. */
  async resetUsage(ids: readonly number[], type: ResetType): Promise<QuotaResult> {
    const pass = await this.deps.policy.runForPeers(
      ids,
      async (uow, now) => {
        const rows = await uow.peersByIds(ids);
        const events: PeerEvent[] = rows.map((r) =>
          manualResetEvent(
            {
              id: r.id,
              name: r.name,
              publicKey: r.public_key,
              configurationId: r.configuration_id,
              nodeId: r.node_id,
            },
            type,
            type === 'receive'
              ? r.period_rx
              : type === 'sent'
                ? r.period_tx
                : r.period_rx + r.period_tx,
            now,
          ),
        );
        await uow.updatePeers(ids, {
          ...(type !== 'sent' && { period_rx: 0n }),
          ...(type !== 'receive' && { period_tx: 0n }),
          ...(type === 'total' && { period_started_at: now }),
        });
        return events;
      },
      API_WAIT,
    );
    return { rows: await this.read(ids), pass };
  }

  private read(ids: readonly number[]): Promise<UsagePeerRow[]> {
    return this.deps.store.transaction((uow) => uow.peersByIds(ids));
  }
}

/** True when the change may change what the node shapes (a speed, or the throttle's). */
function changesShaping(c: QuotaChange): boolean {
  return (
    c.downloadBps !== undefined ||
    c.uploadBps !== undefined ||
    c.throttleDownloadBps !== undefined ||
    c.throttleUploadBps !== undefined
  );
}

/** Writes one change to many peers: one statement per distinct patch (at most a few). */
async function writeChange(
  uow: UsageUnitOfWork,
  rows: readonly UsagePeerRow[],
  change: QuotaChange,
  now: Date,
): Promise<void> {
  const groups = new Map<string, { patch: PeerQuotaPatch; ids: number[] }>();
  for (const row of rows) {
    const patch = quotaPatchFor(row, change, now);
    const key = JSON.stringify(patch, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    const group = groups.get(key) ?? { patch, ids: [] };
    group.ids.push(row.id);
    groups.set(key, group);
  }
  for (const { patch, ids } of groups.values())
    if (Object.keys(patch).length > 0) await uow.updatePeers(ids, patch);
}
