// `agent init`: the node credential and its join string — stable across runs, replaced by
// --rotate, kept in 0600 files.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentInit, runCli } from '../lab/index.js';
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
