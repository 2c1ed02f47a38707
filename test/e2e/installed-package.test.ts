// The release as an operator gets it: `scripts/release.mjs` packs the tree (npm pack), npm installs
// the tarball into a fresh prefix (dependencies from the registry; better-sqlite3's native module
// from the release's local prebuild), `wgfleet install panel|agent` of that installed package
// writes a fresh root (users, folders, config, units), systemd accepts the units, and the panel
// (as its system user, with the generated config) and an agent (on the lab) run from it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NODE_FLAGS, PANEL_NODE_OPTIONS } from '../../src/cli/install/systemd-unit.js';
import {
  AgentClient,
  Lab,
  REPO_ROOT,
  exec,
  freePort,
  parseJoinString,
  runCli,
  startAgent,
  waitFor,
  type AgentProcess,
  type WgInterface,
} from '../lab/index.js';

/** uid and gid of `name` in a root's /etc/passwd. */
function account(root: string, name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return line ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the packed release, installed with npm and `wgfleet install`', () => {
  let lab: Lab;
  let iface: WgInterface;
  let base = '';
  let root = '';
  let wgfleet: string[] = [];
  let installedBin = '';
  let panel: ChildProcess | undefined;
  let agent: AgentProcess | undefined;
  let panelOut = '';
  let agentOut = '';
  const logs: string[] = [];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 0 });
    iface = await lab.node(1).createWgInterface();
    base = await mkdtemp(join(tmpdir(), 'wgfleet-release-'));
    // The panel runs as its own user: it must be able to walk to its files.
    await chmod(base, 0o755);
    const release = join(base, 'release');
    await exec(process.execPath, ['scripts/release.mjs', '--out', release, '--no-build'], {
      cwd: REPO_ROOT,
      timeoutMs: 120_000,
    });
    const tarball = readdirSync(release).find((f) => /^wgfleet-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    const prefix = join(base, 'prefix');
    await exec(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--allow-scripts=better-sqlite3',
        join(release, tarball!),
      ],
      {
        cwd: base,
        timeoutMs: 240_000,
        env: {
          ...process.env,
          npm_config_better_sqlite3_local_prebuilds: join(release, 'prebuilds'),
        },
      },
    );
    wgfleet = [join(prefix, 'bin', 'wgfleet')];
    installedBin = join(prefix, 'lib', 'node_modules', 'wgfleet', 'bin', 'wgfleet.js');
    // A fresh system root: empty account files, as on an image being prepared.
    root = join(base, 'root');
    await mkdir(join(root, 'etc'), { recursive: true, mode: 0o755 });
    await chmod(root, 0o755);
    for (const f of ['passwd', 'group', 'shadow', 'gshadow'])
      await writeFile(join(root, 'etc', f), '');
  }, 400_000);

  afterAll(async () => {
    if (panel && panel.exitCode === null) {
      panel.kill('SIGKILL');
      await new Promise((r) => panel?.once('exit', r));
    }
    await agent?.stop();
    await lab?.destroy();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('ships only what runs: the bundle, the UI, the docs and the deploy kit', async () => {
    const pkg = join(base, 'prefix', 'lib', 'node_modules', 'wgfleet');
    expect((await readdir(pkg)).sort()).toEqual(
      expect.arrayContaining(['bin', 'dist', 'docs', 'package.json', 'web']),
    );
    expect(await readdir(join(pkg, 'dist'))).toEqual(['bundle']);
    expect((await runCli(null, ['--version'], 30_000, wgfleet)).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints a dry run and writes nothing', async () => {
    const dry = join(base, 'dry');
    await mkdir(dry);
    const out = await runCli(
      null,
      ['install', 'panel', '--root', dry, '--dry-run'],
      30_000,
      wgfleet,
    );
    expect(out).toContain('system user wgfleet');
    expect(out).toContain('ProtectSystem=strict');
    expect(out).toContain('WGFLEET_ADMIN_PASSWORD=<secret>');
    expect(await readdir(dry)).toEqual([]);
  });

  it('installs panel and agent into a fresh root, with units systemd-analyze verifies', async () => {
    panelOut = await runCli(null, ['install', 'panel', '--root', root], 30_000, wgfleet);
    const node = lab.node(1);
    agentOut = await runCli(
      null,
      [
        'install',
        'agent',
        '--root',
        root,
        '--public-host',
        node.underlayIp,
        '--listen',
        `${node.underlayIp}:8787`,
      ],
      30_000,
      wgfleet,
    );
    const user = account(root, 'wgfleet');
    expect(user).toBeDefined();
    const data = join(root, 'var/lib/wgfleet');
    expect(mode(data)).toBe(0o700);
    expect(statSync(data).uid).toBe(user!.uid);
    expect(mode(join(root, 'var/lib/wgfleet-agent'))).toBe(0o700);
    expect(mode(join(root, 'var/lib/wgfleet-agent/token'))).toBe(0o600);
    expect(mode(join(root, 'etc/wgfleet/panel.yaml'))).toBe(0o640);
    expect(statSync(join(root, 'etc/wgfleet/panel.yaml')).gid).toBe(user!.gid);
    expect(mode(join(root, 'etc/wgfleet/panel.env'))).toBe(0o600);
    expect(mode(join(root, 'etc/wgfleet/agent.yaml'))).toBe(0o600);
    for (const [unit, nodeOptions] of [
      ['wgfleet-panel.service', PANEL_NODE_OPTIONS],
      ['wgfleet-agent.service', AGENT_NODE_FLAGS],
    ] as const) {
      const path = join(root, 'etc/systemd/system', unit);
      const text = readFileSync(path, 'utf8');
      const node = [process.execPath, ...nodeOptions].join(' ');
      expect(text).toContain(`ExecStart=${node} ${installedBin} `);
      for (const line of [
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'PrivateTmp=yes',
        'Restart=on-failure',
      ])
        expect(text).toContain(line);
      // verify exits 0 even for unknown keys; it prints them, so nothing on stderr is the check.
      const { stderr } = await new Promise<{ stderr: string }>((resolve, reject) => {
        const p = spawn('systemd-analyze', ['verify', path], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        p.stderr.on('data', (b: Buffer) => (err += b.toString()));
        p.once('error', reject);
        p.once('exit', (code) =>
          code === 0
            ? resolve({ stderr: err })
            : reject(new Error(`verify ${unit}: ${code} ${err}`)),
        );
      });
      expect(stderr, unit).toBe('');
    }
    const agentUnit = readFileSync(join(root, 'etc/systemd/system/wgfleet-agent.service'), 'utf8');
    expect(agentUnit).toContain('AmbientCapabilities=CAP_NET_ADMIN\n');
    expect(agentUnit).toContain('CapabilityBoundingSet=CAP_NET_ADMIN\n');
    expect(agentUnit).toContain(`ReadWritePaths=/var/lib/wgfleet-agent /etc/wireguard`);
  });

  it('runs the installed panel as its user with the installed config and signs the admin in', async () => {
    const password = /password[^\n]*:\n\n\s+(\S+)\n/.exec(panelOut)?.[1];
    expect(password).toBeDefined();
    const env = Object.fromEntries(
      readFileSync(join(root, 'etc/wgfleet/panel.env'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env.WGFLEET_ADMIN_PASSWORD).toBe(password);
    const { uid, gid } = account(root, 'wgfleet')!;
    const listen = `127.0.0.1:${await freePort()}`;
    // The unit's command, with the two paths a real root would have at / pointed into the test's.
    const args = ['panel', '--config', join(root, 'etc/wgfleet/panel.yaml')];
    args.push('--data-dir', join(root, 'var/lib/wgfleet'), '--listen', listen);
    const proc = spawn(wgfleet[0]!, args, {
      uid,
      gid,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    panel = proc;
    proc.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
    proc.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
    await waitFor(
      'the installed panel to answer',
      async () => {
        if (proc.exitCode !== null) throw new Error(`panel exited:\n${logs.join('')}`);
        return (
          (await fetch(`http://${listen}/api/handshake`).then(
            () => true,
            () => false,
          )) || undefined
        );
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const signIn = await fetch(`http://${listen}/api/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // The database is the panel user's, in its 0700 folder.
    const db = join(root, 'var/lib/wgfleet/wgfleet.db');
    expect(statSync(db).uid).toBe(uid);

    // The agent: its unit's command from the installed package, in the lab node's namespace.
    const node = lab.node(1);
    await node.prepareConfDir();
    const joinString = agentOut.trim().split('\n').at(-1) ?? '';
    agent = await startAgent(lab.resources, node.ns, {
      command: wgfleet,
      stateDir: join(root, 'var/lib/wgfleet-agent'),
      confDir: node.confDir,
      listen: `${node.underlayIp}:8787`,
      extraArgs: ['--config', join(root, 'etc/wgfleet/agent.yaml')],
    });
    const added = await fetch(`http://${listen}/api/addNode`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'installed', join: joinString }),
    });
    const body = (await added.json()) as { data: { adopted: { interface: string }[] } };
    expect(added.status, JSON.stringify(body)).toBe(200);
    expect(body.data.adopted.map((a) => a.interface)).toEqual([iface.name]);
    const client = AgentClient.fromJoin(parseJoinString(joinString));
    expect((await client.dump(iface.name)).status).toBe(200);
  });

  it('uninstalls; --purge also removes config, data and the user, and keeps the wg-quick folder', async () => {
    panel?.kill('SIGTERM');
    await agent?.stop();
    await runCli(null, ['uninstall', 'panel', '--root', root, '--purge'], 30_000, wgfleet);
    await runCli(null, ['uninstall', 'agent', '--root', root], 30_000, wgfleet);
    const units = join(root, 'etc/systemd/system');
    expect(await readdir(units)).toEqual([]);
    expect(account(root, 'wgfleet')).toBeUndefined();
    expect(await readdir(join(root, 'var/lib'))).toEqual(['wgfleet-agent']);
    expect(await readdir(join(root, 'etc/wgfleet'))).toEqual(['agent.yaml']);
    await runCli(null, ['uninstall', 'agent', '--root', root, '--purge'], 30_000, wgfleet);
    expect(await readdir(join(root, 'var/lib'))).toEqual([]);
    expect(await readdir(join(root, 'etc'))).toContain('wireguard');
    expect(await readdir(join(root, 'etc'))).not.toContain('wgfleet');
  });
});
