import type { Logger } from 'pino';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { agentFailure, isNodeDown, type FleetAgent } from '../nodes/fleet-agent.js';
import type { ConfigurationState } from './configuration-state.js';
import type { AgentCutSink } from './ports.js';
import type { Fence } from '../cluster/ports.js';
import type { SyncConfiguration } from './sync-store.js';

export interface AgentCutsStepDeps {
  /** Read at each poll (compose.ts fills it after the usage area is built). */
  readonly sinks: readonly AgentCutSink[];
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * The poll step before the consumers and the reconcile: records the peers the node cut on its own
 * while the panel was away (the dump's `enforcements`), then acknowledges them to the agent. A
 * recording that fails throws (the poll ends: the reconcile would put the cut peers back, and
 * nothing is acknowledged, so the next poll tries again). A lost acknowledgement is harmless: the
 * records come back and are recognised by id. A dump that lists none drops the stored ids of
 * records the agent has forgotten (its acknowledgement's answer may have been lost).
 */
export async function recordAgentCuts(
  deps: AgentCutsStepDeps,
  config: SyncConfiguration,
  agent: FleetAgent,
  state: ConfigurationState,
  dump: Dump,
  fence?: Fence,
): Promise<void> {
  const cuts = dump.enforcements;
  if (cuts === undefined || deps.sinks.length === 0) return; // an agent without its own ledger
  if (cuts.length === 0) {
    if (!state.cutsUnconfirmed) return;
    for (const sink of deps.sinks) await sink.acknowledged(config.id);
    state.cutsUnconfirmed = false;
    return;
  }
  const observed = {
    nodeId: config.nodeId,
    configurationId: config.id,
    cuts,
    observedAt: deps.now(),
    ...(fence && { fence }),
  };
  for (const sink of deps.sinks) {
    const { changed } = await sink.record(observed);
    if (changed) state.touch();
  }
  state.cutsUnconfirmed = true;
  try {
    await agent.ackEnforcements(
      config.interfaceName,
      cuts.map((c) => c.id),
    );
  } catch (e) {
    if (isNodeDown(e)) throw e;
    deps.logger.warn(
      { configuration: config.name, node: config.nodeName, err: agentFailure(e).message },
      'could not acknowledge the cuts the node made (they are recorded; acknowledged next poll)',
    );
    return;
  }
  for (const sink of deps.sinks) await sink.acknowledged(config.id);
  state.cutsUnconfirmed = false;
  deps.logger.info(
    { configuration: config.name, node: config.nodeName, cuts: cuts.length },
    'cuts made by the node while the panel was away recorded',
  );
}
