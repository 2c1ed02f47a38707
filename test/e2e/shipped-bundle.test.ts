// The CLI as shipped: `bin/wgfleet.js`, the bundle `npm run build` makes (every other lab test
// runs the TypeScript source through tsx). An agent and a panel from the bundle on the lab: the
// node joins, a peer added through the API reaches WireGuard, a real client connects with the
// downloaded config, the UI and the OpenAPI document are served, and both stop cleanly.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  PanelProcess,
  PanelSession,
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

describe('the shipped CLI (bin/wgfleet.js, bundled)', () => {
  let lab: Lab;
  let iface: WgInterface;
  let agent: NodeAgent;
  let dataDir = '';
  let panel: PanelProcess | undefined;
  let session: PanelSession;

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    iface = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1), { command: SHIPPED_CLI_COMMAND });
    await lab.node(1).startEcho();
    dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-shipped-'));
    panel = await PanelProcess.start({
      command: SHIPPED_CLI_COMMAND,
      args: ['--data-dir', dataDir],
      env: { WGFLEET_ADMIN_USER: 'admin', WGFLEET_ADMIN_PASSWORD: PASSWORD },
    });
  });
  afterAll(async () => {
    await panel?.stop(0);
    await lab?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const out = await runCli(null, ['--version'], 30_000, SHIPPED_CLI_COMMAND);
    expect(out.trim()).toBe(pkg.version);
  });

  it('serves the UI, signs the admin in and serves the OpenAPI document', async () => {
    const base = panel!.base;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    session = await PanelSession.signIn(base, PASSWORD);
    const doc = await fetch(`${base}/api/openapi.json`, { headers: { cookie: session.cookie } });
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('joins the node and carries a real client added through the API', async () => {
    const node = lab.node(1);
    const added = await session.api('POST', '/api/addNode', {
      name: 'shipped',
      join: agent.join.raw,
      public_host: node.underlayIp,
    });
    const configName = added.adopted[0].ConfigurationName as string;
    expect(added.adopted[0].interface).toBe(iface.name);

    const client = lab.client(1);
    const keys = await client.keys();
    const [peer] = await session.api('POST', `/api/addPeers/${configName}`, {
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
    const download = await session.api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(peer.id as string)}`,
    );
    const { target, options } = connectionOf(download.file as string, node.tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(node.tunnelIp(1))).toBe(true);
    await client.disconnect();
  });

  it('stops the panel and the agent cleanly on SIGTERM', async () => {
    expect(await panel?.stop()).toBe(0);
    await agent.process.stop();
    expect(await agent.process.exited).toBe(0);
  });
});
