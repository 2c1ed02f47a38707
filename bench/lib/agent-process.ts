import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJoinString, type JoinInfo } from '../../src/shared/join-string.js';
import type { Cleanup } from './cleanup.js';
import { OwnedProcess, run } from './proc.js';

export interface AgentProcessOptions {
  /** The built CLI, `bin/wgfleet.js` (the bundle). */
  readonly entry: string;
  readonly cwd: string;
  readonly ns: string;
  readonly iface: string;
  readonly listen: string;
  /** When set, the agent runs with `--cpu-prof` and writes its profile here when it stops. */
  readonly cpuProfDir?: string | undefined;
  /** Extra options for the agent's `node` (e.g. `--max-semi-space-size=16`), to try GC settings. */
  readonly nodeOptions?: readonly string[] | undefined;
  /** Extra `wgfleet agent` options (e.g. `['--read-interval', '1']`). */
  readonly extraArgs?: readonly string[] | undefined;
}

export interface RunningAgent {
  readonly process: OwnedProcess;
  readonly join: JoinInfo;
  /** Its state folder (credential, totals.json, enforcement.json). */
  readonly stateDir: string;
}

/**
 * Creates a credential in a fresh state folder (`wgfleet agent init`) and starts the compiled agent
 * inside the namespace, managing only the benchmark interface. `ip netns exec` execs in place, so
 * the PID of the spawned process is the agent's own (its `/proc/<pid>/status` is the agent's).
 */
export async function startAgent(cleanup: Cleanup, o: AgentProcessOptions): Promise<RunningAgent> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-agent-'));
  cleanup.add(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  const stateDir = join(dir, 'state');
  const initOut = await run(
    process.execPath,
    [o.entry, 'agent', 'init', '--state-dir', stateDir, '--listen', o.listen],
    { cwd: o.cwd },
  );
  const joinInfo = parseJoinString(initOut.trim().split('\n').pop() ?? '');

  const nodeFlags = [
    ...(o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : []),
    ...(o.nodeOptions ?? []),
  ];
  const agent = OwnedProcess.start(
    'agent',
    'ip',
    [
      ...['netns', 'exec', o.ns, process.execPath, ...nodeFlags, o.entry, 'agent'],
      ...['--state-dir', stateDir, '--listen', o.listen, '--conf-dir', join(dir, 'conf')],
      ...['--interfaces', o.iface, '--log-level', 'warn'],
      ...(o.extraArgs ?? []),
    ],
    { cwd: o.cwd },
  );
  cleanup.add('stop the agent', () => agent.stop());
  return { process: agent, join: joinInfo, stateDir };
}
