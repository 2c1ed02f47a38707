// `agent init`: the node credential and its join string — stable across runs, replaced by
// --rotate, kept in 0600 files.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_COMMAND,
  REPO_ROOT,
  agentInit,
  cliEnv,
  freePort,
  healthStatus,
  runCli,
  waitFor,
} from '../lab/index.js';
import { modeOf } from './agent-fixture.js';

describe('agent init', () => {
  let dir = '';
  let stateDir = '';
  const listen = '127.0.0.1:18787';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-init-'));
    stateDir = join(dir, 'state');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints a join string with URL, token and certificate fingerprint', async () => {
    const join1 = await agentInit(null, { stateDir, listen });
    expect(join1.raw).toMatch(
      /^wgfleet:\/\/127\.0\.0\.1:18787\?token=[^&]+&fingerprint=sha256:[0-9a-f]{64}$/,
    );
    expect(join1.baseUrl).toBe('https://127.0.0.1:18787');
    expect(join1.token.length).toBeGreaterThanOrEqual(32);
  });

  it('keeps the same join string when run again', async () => {
    const a = await agentInit(null, { stateDir, listen });
    const out = await runCli(null, ['agent', 'init', '--state-dir', stateDir, '--listen', listen]);
    expect(out.trim().split('\n').at(-1)).toBe(a.raw);
  });

  it('keeps its files private: 0600 files in a 0700 folder', async () => {
    const files = await readdir(stateDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(await modeOf(join(stateDir, f)), f).toBe(0o600);
    expect(await modeOf(stateDir)).toBe(0o700);
  });

  it('replaces token and certificate with --rotate', async () => {
    const before = await agentInit(null, { stateDir, listen });
    const after = await agentInit(null, { stateDir, listen, rotate: true });
    expect(after.token).not.toBe(before.token);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(await agentInit(null, { stateDir, listen })).toEqual(after);
  });

  it('names the host the panel should dial with --public-host', async () => {
    const j = await agentInit(null, {
      stateDir,
      listen: '0.0.0.0:9443',
      publicHost: 'node7.example',
    });
    expect(j.host).toBe('node7.example');
    expect(j.port).toBe(9443);
  });
});

// `wgfleet agent` listens where the join string of `agent init` says, from the state folder.
describe('agent listen address from init', () => {
  let dir = '';
  let stateDir = '';
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-listen-'));
    stateDir = join(dir, 'state');
  });
  afterAll(async () => {
    for (const p of running)
      if (p.exitCode === null && p.signalCode === null) {
        p.kill('SIGTERM');
        await new Promise((r) => p.once('exit', r));
      }
    await rm(dir, { recursive: true, force: true });
  });

  /** `wgfleet agent --state-dir … ARGS` in the root namespace; resolves once `listen` is healthy. */
  async function runAgent(listen: string, args: readonly string[] = []) {
    const [node = process.execPath, ...rest] = CLI_COMMAND;
    const proc = spawn(
      node,
      [...rest, 'agent', '--state-dir', stateDir, '--conf-dir', dir, ...args],
      { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.push(proc);
    let out = '';
    proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    await waitFor(
      `the agent on ${listen}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`agent exited:\n${out}`);
        return (await healthStatus(listen).catch(() => 0)) === 200 || undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return { proc, output: () => out };
  }
  const stop = async (proc: ChildProcess) => {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  };

  it('listens on the address init was given, without --listen', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    const j = await agentInit(null, { stateDir, listen });
    expect(`${j.host}:${j.port}`).toBe(listen);
    const { proc, output } = await runAgent(listen);
    expect(output()).not.toContain('join string');
    await stop(proc);
    // init again without --listen keeps the address (and the join string)
    const again = await runCli(null, ['agent', 'init', '--state-dir', stateDir]);
    expect(again.trim().split('\n').at(-1)).toBe(j.raw);
    expect(again).not.toContain('new join string');
  });

  it('lets a flag override it, and says the join string needs re-pinning', async () => {
    const other = `127.0.0.1:${await freePort()}`;
    const { proc, output } = await runAgent(other, ['--listen', other]);
    await waitFor('the re-pin warning', () =>
      output().includes('join string') ? true : undefined,
    );
    expect(output()).toMatch(/"init_listen":"127\.0\.0\.1:\d+"/);
    await stop(proc);
    const out = await runCli(null, ['agent', 'init', '--state-dir', stateDir, '--listen', other]);
    expect(out).toContain('give the panel this new join string');
    expect(out.trim().split('\n').at(-1)).toContain(`wgfleet://${other}?`);
  });
});
