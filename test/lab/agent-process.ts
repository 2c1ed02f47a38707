import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { chooseCliCommand } from './cli-command.js';
import { waitFor } from '../support/wait-for.js';
import { WG_USERSPACE_ENV, exec } from './exec.js';
import { parseJoinString, type JoinInfo } from './join-string.js';
import type { LabResources } from './resources.js';

/** The repository root (the agent runs with it as cwd so `--import tsx` resolves). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI entry, run from TypeScript source through tsx. */
export const CLI_ENTRY = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
/** `[node, --import, tsx, entry.ts]`: the CLI from its TypeScript source. */
export const SOURCE_CLI_COMMAND = [process.execPath, '--import', 'tsx', CLI_ENTRY] as const;
/** `[node, bin/wgfleet.js]`: the CLI as shipped (the bundle `npm run build` makes). */
export const SHIPPED_CLI_COMMAND = [
  process.execPath,
  fileURLToPath(new URL('../../bin/wgfleet.js', import.meta.url)),
] as const;
/**
 * Prefix of every `wgfleet` command the lab runs: the shipped bundle when it is newer than every
 * file under src/ (as after `npm ci` or `npm run build`), else the source through tsx, which
 * starts ~1 s slower per process (it compiles the CLI's modules each time) and the lab starts
 * hundreds. WGFLEET_TEST_CLI=source or =bundle chooses.
 */
export const CLI_COMMAND: readonly string[] = chooseCliCommand(
  process.env.WGFLEET_TEST_CLI,
  SOURCE_CLI_COMMAND,
  SHIPPED_CLI_COMMAND,
);

/** Env for the CLI: wireguard-go allowed, and no stray `WGFLEET_AGENT_*` from the host. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...WG_USERSPACE_ENV };
  for (const k of Object.keys(env)) if (k.startsWith('WGFLEET_')) delete env[k];
  return env;
}

/** Runs `wgfleet ARGS…` in namespace `ns` (or the root namespace when null); resolves stdout. */
export function runCli(
  ns: string | null,
  args: readonly string[],
  timeoutMs = 30_000,
  command: readonly string[] = CLI_COMMAND,
) {
  const [node = process.execPath, ...rest] = command;
  const full = [...rest, ...args];
  const opts = { cwd: REPO_ROOT, env: cliEnv(), timeoutMs };
  return ns === null
    ? exec(node, full, opts)
    : exec('ip', ['netns', 'exec', ns, node, ...full], opts);
}

export interface AgentInitOptions {
  readonly stateDir: string;
  /** `HOST:PORT`. */
  readonly listen: string;
  readonly publicHost?: string;
  readonly rotate?: boolean;
  /** The `wgfleet` command; default CLI_COMMAND (the fresh bundle, else the source). */
  readonly command?: readonly string[];
}

/** Runs `agent init` and parses the join string on the last stdout line. */
export async function agentInit(ns: string | null, opts: AgentInitOptions): Promise<JoinInfo> {
  const args = ['agent', 'init', '--state-dir', opts.stateDir, '--listen', opts.listen];
  if (opts.publicHost !== undefined) args.push('--public-host', opts.publicHost);
  if (opts.rotate) args.push('--rotate');
  const out = await runCli(ns, args, 30_000, opts.command);
  return parseJoinString(out.trim().split('\n').at(-1) ?? '');
}

export interface AgentRunOptions {
  readonly stateDir: string;
  /** `HOST:PORT`; the readiness probe goes to it. */
  readonly listen: string;
  readonly confDir: string;
  readonly interfaces?: readonly string[];
  readonly wgBin?: string;
  readonly wgQuickBin?: string;
  readonly logLevel?: string;
  /** Appended as they are (e.g. `['--allow-hooks']`). */
  readonly extraArgs?: readonly string[];
  /** The `wgfleet` command; default CLI_COMMAND (the fresh bundle, else the source). */
  readonly command?: readonly string[];
  /** Default 30 s (the first start compiles TypeScript). */
  readonly readyTimeoutMs?: number;
}

/** `GET https://HOST:PORT/v1/health` status without checking the certificate (readiness only). */
export function healthStatus(listen: string, timeoutMs = 1000): Promise<number> {
  const [host, port] = [
    listen.slice(0, listen.lastIndexOf(':')),
    listen.slice(listen.lastIndexOf(':') + 1),
  ];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        path: '/v1/health',
        rejectUnauthorized: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error('health probe timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** A running agent; the lab stops it on destroy if the test did not. */
export class AgentProcess {
  private readonly lines: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    private readonly proc: ChildProcess,
    readonly pid: number,
  ) {
    let partial = '';
    const onData = (b: Buffer) => {
      const parts = (partial + b.toString()).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
      if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 5000);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
  }

  /** Output lines so far (pino JSON on stdout, anything on stderr), the last 5000. */
  logs(): readonly string[] {
    return this.lines;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Idempotent. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Starts `agent` in namespace `ns` and resolves once `/v1/health` answers 200. The PID goes to
 * `res` (killed on teardown). Rejects — with the agent's output — if it exits or is not ready.
 */
export async function startAgent(
  res: LabResources,
  ns: string,
  opts: AgentRunOptions,
): Promise<AgentProcess> {
  const args = ['agent', '--state-dir', opts.stateDir, '--listen', opts.listen];
  args.push('--conf-dir', opts.confDir, '--log-level', opts.logLevel ?? 'info');
  if (opts.interfaces) args.push('--interfaces', opts.interfaces.join(','));
  if (opts.wgBin) args.push('--wg-bin', opts.wgBin);
  if (opts.wgQuickBin) args.push('--wg-quick-bin', opts.wgQuickBin);
  args.push(...(opts.extraArgs ?? []));
  const proc = spawn('ip', ['netns', 'exec', ns, ...(opts.command ?? CLI_COMMAND), ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error('agent did not start');
  const pid = proc.pid;
  res.pids.add(pid);
  const agent = new AgentProcess(proc, pid);
  void agent.exited.then(() => res.pids.delete(pid));
  try {
    await waitFor(
      `agent health on ${opts.listen}`,
      async () => {
        if (!agent.running) throw new Error(`agent exited:\n${agent.logs().slice(-20).join('\n')}`);
        return (await healthStatus(opts.listen).catch(() => 0)) === 200 || undefined;
      },
      { timeoutMs: opts.readyTimeoutMs ?? 30_000, intervalMs: 100 },
    );
  } catch (e) {
    await agent.stop(1000);
    throw e;
  }
  return agent;
}
