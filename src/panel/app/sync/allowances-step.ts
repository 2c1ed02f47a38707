import type { Logger } from 'pino';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { allowancesFor, graceSeconds } from '../../domain/allowances.js';
import { agentFailure, isNodeDown, type FleetAgent } from '../nodes/fleet-agent.js';
import type { ConfigurationState } from './configuration-state.js';
import type { SyncConfiguration, SyncStore } from './sync-store.js';

export interface AllowancesStepDeps {
  readonly store: Pick<SyncStore, 'allowanceInputs'>;
  readonly logger: Logger;
  /** The poll interval in force (the grace is 3 of them). */
  readonly pollIntervalMs: () => number;
  /** Polls in a row that may skip handing unchanged allowances (see ConfigurationSyncDeps). */
  readonly recheckEvery: number;
}

/**
 * The last poll step: hands the node its allowances (what it enforces itself while the panel is
 * away), after the ingest counted this poll's bytes. Within an epoch an allowance is a fixed cut
 * point (`base_total + remaining_bytes` only moves when a limit, a usage reset or a status
 * changes: traffic moves both halves alike), so the step reads and sends them when the
 * configuration was touched since (a quota change, a reset, a restriction or restoration all
 * converge it), when the epoch or the grace changed, after a failure, and at least every
 * `recheckEvery + 1` polls; other polls cost nothing. Skipped for agents without a ledger (no
 * epoch in the dump). A refusal is logged, never fails the poll; a node down does.
 */
export async function handAllowances(
  deps: AllowancesStepDeps,
  config: SyncConfiguration,
  agent: FleetAgent,
  state: ConfigurationState,
  dump: Dump,
): Promise<void> {
  const epoch = dump.interface.epoch;
  if (epoch === undefined) return;
  const intervalMs = deps.pollIntervalMs();
  const grace = graceSeconds(intervalMs);
  const last = state.allowancesSent;
  if (
    last &&
    last.revision === state.revision &&
    last.epoch === epoch &&
    last.graceSeconds === grace &&
    last.skipped < deps.recheckEvery
  ) {
    last.skipped++;
    return;
  }
  const revision = state.revision;
  const body = allowancesFor(await deps.store.allowanceInputs(config.id), epoch, intervalMs);
  try {
    await agent.putAllowances(config.interfaceName, body);
  } catch (e) {
    state.allowancesSent = null;
    if (isNodeDown(e)) throw e;
    deps.logger.warn(
      { configuration: config.name, node: config.nodeName, err: agentFailure(e).message },
      'allowances refused by the agent',
    );
    return;
  }
  state.allowancesSent = { revision, epoch, graceSeconds: grace, skipped: 0 };
}
