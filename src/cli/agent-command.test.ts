import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ENTRY = new URL('./entry.ts', import.meta.url).pathname;

/** Runs `wgfleet …` from source; resolves with exit code and output, never throws. */
async function wgfleet(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

// Each case starts the CLI from source through tsx (about a second a start).
describe('wgfleet agent options', { timeout: 30_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-cli-'));
    config = join(dir, 'agent.json');
    await writeFile(config, JSON.stringify({ listen: 'from-config', logLevel: 'warn' }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('documents every option and its environment variable', async () => {
    const { code, out } = await wgfleet(['agent', '--help']);
    expect(code).toBe(0);
    for (const opt of [
      '--state-dir',
      '--listen',
      '--conf-dir',
      '--interfaces',
      '--insecure-http',
      '--config',
    ])
      expect(out).toContain(opt);
    expect(out).toContain('WGFLEET_AGENT_LISTEN');
  });

  it('takes a flag over the environment over the config file', async () => {
    const args = ['agent', '--state-dir', dir, '--config', config];
    expect((await wgfleet(args)).out).toContain('got "from-config"');
    expect((await wgfleet(args, { WGFLEET_AGENT_LISTEN: 'from-env' })).out).toContain(
      'got "from-env"',
    );
    const flag = await wgfleet([...args, '--listen', 'from-flag'], {
      WGFLEET_AGENT_LISTEN: 'from-env',
    });
    expect(flag.code).toBe(1);
    expect(flag.out).toContain('got "from-flag"');
  });

  it('refuses plain HTTP off loopback, unknown config keys, and a missing credential', async () => {
    const http = await wgfleet([
      'agent',
      '--state-dir',
      dir,
      '--listen',
      '0.0.0.0:8787',
      '--insecure-http',
    ]);
    expect(http.out).toMatch(/--insecure-http is allowed only on a loopback/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ lisen: '1.2.3.4:1' }));
    expect((await wgfleet(['agent', '--config', bad])).out).toMatch(/unknown option "lisen"/);
    const none = await wgfleet([
      'agent',
      '--state-dir',
      join(dir, 'none'),
      '--listen',
      '127.0.0.1:1',
    ]);
    expect(none.out).toMatch(/run `wgfleet agent init/);
  });

  it('keeps the credential on a second init and replaces it with --rotate', async () => {
    const state = join(dir, 'state');
    const init = async (...extra: string[]) =>
      (
        await wgfleet([
          'agent',
          'init',
          '--state-dir',
          state,
          '--listen',
          '127.0.0.1:8787',
          ...extra,
        ])
      ).out
        .trim()
        .split('\n')
        .at(-1);
    const first = await init();
    expect(first).toMatch(
      /^wgfleet:\/\/127\.0\.0\.1:8787\?token=[A-Za-z0-9_-]{43}&fingerprint=sha256:[0-9a-f]{64}$/,
    );
    expect(await init()).toBe(first);
    const rotated = await init('--rotate');
    expect(rotated).not.toBe(first);
    expect(await init('--public-host', 'node1.example.com')).toBe(
      rotated?.replace('127.0.0.1', 'node1.example.com'),
    );
  });
});
