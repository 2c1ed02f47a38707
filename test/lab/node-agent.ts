import { AgentClient } from './agent-client.js';
import { agentInit, startAgent, type AgentProcess, type AgentRunOptions } from './agent-process.js';
import type { JoinInfo } from './join-string.js';
import type { Lab } from './lab.js';
import type { LabNode } from './lab-node.js';

/** Default agent port on a lab node's underlay address. */
export const AGENT_PORT = 8787;

/** An agent running on a lab node, with a pinned client for its API. */
export interface NodeAgent {
  readonly node: LabNode;
  readonly process: AgentProcess;
  readonly join: JoinInfo;
  /** Client with the node's token and pinned certificate. */
  readonly client: AgentClient;
  /** `HOST:PORT` the agent listens on. */
  readonly listen: string;
}

export type NodeAgentOptions = Partial<
  Pick<
    AgentRunOptions,
    'interfaces' | 'wgBin' | 'wgQuickBin' | 'logLevel' | 'extraArgs' | 'command'
  >
> & { readonly port?: number };

/**
 * `agent init` then `agent` on `node`: state in `node.stateDir`, wg-quick files in
 * `node.confDir`, listening on `node.underlayIp:port` (reachable from the test process).
 * The lab stops the agent on destroy.
 */
export async function startNodeAgent(
  lab: Lab,
  node: LabNode,
  opts: NodeAgentOptions = {},
): Promise<NodeAgent> {
  const listen = `${node.underlayIp}:${opts.port ?? AGENT_PORT}`;
  await node.prepareConfDir();
  const command = opts.command && { command: opts.command };
  const join = await agentInit(node.ns, { stateDir: node.stateDir, listen, ...command });
  const proc = await startAgent(lab.resources, node.ns, {
    ...(opts.interfaces && { interfaces: opts.interfaces }),
    ...(opts.wgBin && { wgBin: opts.wgBin }),
    ...(opts.wgQuickBin && { wgQuickBin: opts.wgQuickBin }),
    ...(opts.logLevel && { logLevel: opts.logLevel }),
    ...(opts.extraArgs && { extraArgs: opts.extraArgs }),
    ...command,
    stateDir: node.stateDir,
    confDir: node.confDir,
    listen,
  });
  lab.onDestroy(() => proc.stop());
  return { node, process: proc, join, client: AgentClient.fromJoin(join), listen };
}
