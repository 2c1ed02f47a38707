import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentCommand, loadAgentConfig } from './agent-command.js';
import { configTemplate } from './install/config-template.js';
import { loadPanelConfig, panelCommand } from './panel-command.js';

const REPO = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

/** Parses `args` with the real command, its action replaced (nothing runs). */
async function parsed(make: () => Command, args: string[]): Promise<Command> {
  const cmd = make().exitOverride();
  cmd.action(() => undefined);
  await cmd.parseAsync(args, { from: 'user' });
  return cmd;
}

describe('config files (YAML or JSON) through the real loader', () => {
  let dir: string;
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it('loads the example panel file', async () => {
    const cmd = await parsed(panelCommand, ['--config', join(REPO, 'deploy/config/panel.yaml')]);
    const c = await loadPanelConfig(cmd);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 10086 });
    expect(c.dataDir).toBe('/var/lib/wgfleet');
    expect(c.databaseUrl).toBe('sqlite:/var/lib/wgfleet/wgfleet.db');
    expect(c.secretKeyFile).toBe('/var/lib/wgfleet/secret.key');
    expect(c.pollIntervalMs).toBe(10_000);
    expect(c.sessionTtlMs).toBe(12 * 3600_000);
    expect(cmd.getOptionValueSource('sessionTtl')).toBe('config');
  });

  it('loads the example agent file, a YAML list included', async () => {
    const cmd = await parsed(agentCommand, ['--config', join(REPO, 'deploy/config/agent.yaml')]);
    const c = await loadAgentConfig(cmd);
    expect([...(c.interfaces ?? [])]).toEqual(['wg0', 'wg1']);
    expect(c.listen).toEqual({ host: '0.0.0.0', port: 8787 });
    expect(c.confDir).toBe('/etc/wireguard');
  });

  it('takes a flag over the environment over the file, and reads JSON too', async () => {
    const json = await file('p.json', JSON.stringify({ pollInterval: 20, logLevel: 'warn' }));
    vi.stubEnv('WGFLEET_PANEL_LOG_LEVEL', 'error');
    const cmd = await parsed(panelCommand, ['--config', json, '--poll-interval', '30']);
    const c = await loadPanelConfig(cmd);
    expect(c.pollIntervalMs).toBe(30_000);
    expect(c.logLevel).toBe('error');
    const fileOnly = await loadPanelConfig(await parsed(panelCommand, ['--config', json]));
    expect(fileOnly.pollIntervalMs).toBe(20_000);
    const keyed = await file(
      'k.yaml',
      'dataDir: /srv/wg\nsecretKeyFile: /etc/wgfleet/secret.key\n',
    );
    expect(
      (await loadPanelConfig(await parsed(panelCommand, ['--config', keyed]))).secretKeyFile,
    ).toBe('/etc/wgfleet/secret.key');
    vi.stubEnv('WGFLEET_PANEL_SECRET_KEY_FILE', '/run/keys/wgfleet.key');
    expect(
      (await loadPanelConfig(await parsed(panelCommand, ['--config', keyed]))).secretKeyFile,
    ).toBe('/run/keys/wgfleet.key');
  });

  it('names the file and the key at fault, and applies nothing of a bad file', async () => {
    const cases: [string, RegExp][] = [
      ['pollInterval: 20\nlisen: 1.2.3.4:1\n', /unknown option "lisen"/],
      ['pollInterval: 20\npollConcurrency: true\n', /"pollConcurrency" must be a text/],
      ['pollInterval: 20\nlisten: {host: x}\n', /"listen" must be a text, a number or a list/],
      ['pollInterval: 20\nconfig: other.yaml\n', /unknown option "config"/],
      ['- a\n- b\n', /must be a mapping/],
      ['listen: [unclosed\n', /not valid YAML or JSON/],
      ['listen: a\nlisten: b\n', /not valid YAML or JSON/],
    ];
    for (const [i, [text, error]] of cases.entries()) {
      const path = await file(`bad${i}.yaml`, text);
      const cmd = await parsed(panelCommand, ['--config', path]);
      await expect(loadPanelConfig(cmd), text).rejects.toThrow(error);
      await expect(loadPanelConfig(cmd)).rejects.toThrow(path);
      expect(cmd.getOptionValue('pollInterval'), text).toBe('10');
    }
    const missing = await parsed(panelCommand, ['--config', join(dir, 'none.yaml')]);
    await expect(loadPanelConfig(missing)).rejects.toThrow(
      /cannot read the config file \(ENOENT\)/,
    );
    const agentBad = await file('agent-bad.yaml', 'allowHooks: "yes"\n');
    await expect(
      loadAgentConfig(await parsed(agentCommand, ['--config', agentBad])),
    ).rejects.toThrow(/"allowHooks" must be true or false/);
    const empty = await parsed(panelCommand, ['--config', await file('empty.yaml', '# nothing\n')]);
    expect((await loadPanelConfig(empty)).pollIntervalMs).toBe(10_000);
  });

  it('takes --trust-proxy alone or as a list, and --tls-cert with --tls-key only', async () => {
    const load = async (args: string[]) => loadPanelConfig(await parsed(panelCommand, args));
    expect((await load([])).trustProxy).toBe(false);
    expect((await load(['--trust-proxy'])).trustProxy).toBe(true);
    expect((await load(['--trust-proxy', '127.0.0.1, 10.0.0.0/8,loopback'])).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
    ]);
    await expect(load(['--trust-proxy', 'proxy.example.com'])).rejects.toThrow(
      /--trust-proxy: "proxy.example.com" is not an address/,
    );
    const list = await file('proxy.yaml', 'trustProxy: [127.0.0.1, "::1"]\n');
    expect((await load(['--config', list])).trustProxy).toEqual(['127.0.0.1', '::1']);
    const yes = await file('proxy-all.yaml', 'trustProxy: true\n');
    expect((await load(['--config', yes])).trustProxy).toBe(true);
    expect((await load(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'])).tls).toEqual({
      certFile: join(process.cwd(), 'c.pem'),
      keyFile: join(process.cwd(), 'k.pem'),
    });
    await expect(load(['--tls-cert', 'c.pem'])).rejects.toThrow(
      /--tls-cert and --tls-key go together/,
    );
  });

  it('documents every option (flag, environment, file key) in docs/CONFIG.md and the examples', () => {
    const doc = read('docs/CONFIG.md');
    for (const [cmd, example] of [
      [panelCommand(), read('deploy/config/panel.yaml')],
      [agentCommand(), read('deploy/config/agent.yaml')],
    ] as const) {
      for (const o of cmd.options) {
        const key = o.attributeName();
        expect(doc, o.long).toContain(`\`${o.long}`);
        expect(doc, o.envVar).toContain(`\`${o.envVar}\``);
        if (key === 'config') continue;
        expect(doc, key).toContain(`\`${key}\``);
        expect(example, key).toMatch(new RegExp(`^(# )?${key}:`, 'm'));
        // The file `wgfleet install` writes names every option too.
        expect(configTemplate(cmd, [])).toMatch(new RegExp(`^# ${key}:`, 'm'));
      }
    }
  });
});
