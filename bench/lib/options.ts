import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AGENT_NODE_FLAGS } from '../../src/cli/install/systemd-unit.js';
import { MAX_PEERS } from './wg-fixture.js';

export const USAGE = `usage: npm run bench:agent -- [options]
  --peers N        peers on the interface (default 10000)
  --rounds N       recorded rounds, each timing both calls (default 30)
  --warmup N       unrecorded rounds first (default 5)
  --skip-build     use dist/ as it is instead of running npm run build
  --cpu-prof DIR   run the agent with node --cpu-prof; the profile lands in DIR when it stops
  --agent-node-option=OPT
                   an option for the agent's node (repeatable), in place of the systemd
                   unit's (${AGENT_NODE_FLAGS.join(' ')}), e.g.
                   --agent-node-option=--max-semi-space-size=16; --agent-node-option= for none`;

/** The benchmark's command line, checked. */
export interface BenchOptions {
  readonly help: boolean;
  /** Internal: this process is the measuring side, inside the namespace. */
  readonly inner: boolean;
  readonly peers: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly build: boolean;
  readonly cpuProfDir: string | undefined;
  readonly agentNodeOptions: readonly string[];
}

function int(raw: string | undefined, name: string, def: number, min: number, max: number) {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** Parses argv (without node and the script); throws an Error naming the option at fault. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      peers: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      'skip-build': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      'agent-node-option': { type: 'string', multiple: true },
      inner: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return {
    help: values.help === true,
    inner: values.inner === true,
    peers: int(values.peers, 'peers', 10_000, 1, MAX_PEERS),
    rounds: int(values.rounds, 'rounds', 30, 1, 100_000),
    warmup: int(values.warmup, 'warmup', 5, 0, 100_000),
    build: values['skip-build'] !== true,
    cpuProfDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    // The agent runs as the unit runs it unless told otherwise.
    agentNodeOptions: (values['agent-node-option'] ?? [...AGENT_NODE_FLAGS]).filter(
      (o) => o !== '',
    ),
  };
}
