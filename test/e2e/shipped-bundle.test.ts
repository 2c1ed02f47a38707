// The CLI as shipped: `bin/wgfleet.js`, the bundle `npm run build` makes (every other lab test
// runs the TypeScript source through tsx). An agent and a panel from the bundle on the lab: the
// node joins, a peer added through the API reaches WireGuard, a real client connects with the
// downloaded config, the UI and the OpenAPI document are served, and both stop cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  REPO_ROOT,
  SHIPPED_CLI_COMMAND,
  connectionOf,
  runCli,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';

const PASSWORD = `shipped-${process.pid}-password`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('the shipped CLI (bin/wgfleet.js, bundled)', () => {
  let lab: Lab;
  let iface: WgInterface;
  let agent: NodeAgent;
  let dataDir = '';
  let panel: ChildProcess | undefined;
  let panelExit: Promise<number | null>;
  let base = '';
  let cookie = '';
  const output: string[] = [];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    iface = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1), { command: SHIPPED_CLI_COMMAND });
    await lab.node(1).startEcho();
    dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-shipped-'));
    base = `http://127.0.0.1:${await freePort()}`;
    const [node = process.execPath, ...rest] = SHIPPED_CLI_COMMAND;
    panel = spawn(node, [...rest, 'panel', '--data-dir', dataDir, '--listen', new URL(base).host], {
      cwd: REPO_ROOT,
      env: { ...process.env, WGFLEET_ADMIN_USER: 'admin', WGFLEET_ADMIN_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = panel;
    panelExit = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
    proc.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
    await waitFor(
      'the panel to answer',
      async () => {
        if (proc.exitCode !== null) throw new Error(`panel exited:\n${output.join('')}`);
        // Any HTTP answer will do (the API wants a session): the panel is listening.
        const answered = await fetch(`${base}/api/handshake`).then(
          () => true,
          () => false,
        );
        return answered || undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  });
  afterAll(async () => {
    if (panel && panel.exitCode === null) {
      panel.kill('SIGKILL');
      await panelExit;
    }
    await lab?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const api = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as { status: boolean; message: string | null; data: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(res.status, `${path}: ${JSON.stringify(json).slice(0, 300)}`).toBe(200);
    return json.data;
  };

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const out = await runCli(null, ['--version'], 30_000, SHIPPED_CLI_COMMAND);
    expect(out.trim()).toBe(pkg.version);
  });

  it('serves the UI, signs the admin in and serves the OpenAPI document', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const signIn = await fetch(`${base}/api/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const doc = await fetch(`${base}/api/openapi.json`, { headers: { cookie } });
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('joins the node and carries a real client added through the API', async () => {
    const node = lab.node(1);
    const added = await api('POST', '/api/addNode', {
      name: 'shipped',
      join: agent.join.raw,
      public_host: node.underlayIp,
    });
    const configName = added.adopted[0].ConfigurationName as string;
    expect(added.adopted[0].interface).toBe(iface.name);

    const client = lab.client(1);
    const keys = await client.keys();
    const [peer] = await api('POST', `/api/addPeers/${configName}`, {
      name: 'shipped client',
      public_key: keys.publicKey,
      private_key: keys.privateKey,
    });
    await waitFor(
      'the peer on the node',
      async () =>
        (await agent.client.dump(iface.name)).body.peers.some(
          (p) => p.public_key === keys.publicKey,
        ) || undefined,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(peer.id as string)}`,
    );
    const { target, options } = connectionOf(download.file as string, node.tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(node.tunnelIp(1))).toBe(true);
    await client.disconnect();
  });

  it('stops the panel and the agent cleanly on SIGTERM', async () => {
    panel?.kill('SIGTERM');
    expect(await panelExit).toBe(0);
    await agent.process.stop();
    expect(await agent.process.exited).toBe(0);
  });
});
