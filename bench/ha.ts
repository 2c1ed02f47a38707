/**
 * Several panels on one PostgreSQL (issue 18): 3 panel processes (the built bundle) × 30
 * simulated nodes (in-process agents over a fake WireGuard, each with one interface of --peers
 * peers), against 1 panel × 10 nodes on a schema of its own. Reports how evenly the node leases
 * are shared (max − min against the mean; goal ≤ 20 %) and each panel's mean poll-cycle time
 * over the measuring window (from its `wgfleet_panel_poll_cycle_duration_seconds`), against the
 * single panel's. A benchmark, not a test: it asserts nothing about time.
 *
 *   npm run bench:ha -- [--database postgres://…] [--seconds S] [--peers N]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateWgKeyPair } from '../src/shared/keys.js';
import { FakeAgent } from '../test/panel/support/fleet-fake-agent.js';
import { Cleanup } from './lib/cleanup.js';
import { cycleHistogram, type CycleHistogram } from './lib/cycle-histogram.js';
import { PanelClient } from './lib/panel-client.js';
import { OwnedProcess, sleep, waitFor } from './lib/proc.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'bin', 'wgfleet.js');
const PASSWORD = 'bench-ha-password';
const GOAL_BALANCE = 0.2;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const { values } = parseArgs({
  options: {
    database: {
      type: 'string',
      default: process.env.WGFLEET_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    seconds: { type: 'string', default: '30' },
    peers: { type: 'string', default: '20' },
  },
});
const seconds = Number(values.seconds);
const peers = Number(values.peers);

interface Panel {
  readonly proc: OwnedProcess;
  readonly client: PanelClient;
  readonly base: string;
}

const cleanup = new Cleanup();

async function freshSchema(): Promise<string> {
  const schema = `wgf_bench_ha_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: values.database });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  cleanup.add('schema', async () => {
    const c = new pg.Client({ connectionString: values.database });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });
  const url = new URL(values.database);
  url.searchParams.set('schema', schema);
  return url.toString();
}

async function startPanel(url: string, keyFile: string, port: number): Promise<Panel> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-ha-'));
  cleanup.add('step', () => rm(dir, { recursive: true, force: true }));
  const proc = OwnedProcess.start(
    `panel :${port}`,
    process.execPath,
    [
      ENTRY,
      'panel',
      '--data-dir',
      dir,
      '--database',
      url,
      '--secret-key-file',
      keyFile,
      '--listen',
      `127.0.0.1:${port}`,
      '--poll-interval',
      '1',
      '--log-level',
      'warn',
    ],
    { env: { ...process.env, WGFLEET_ADMIN_PASSWORD: PASSWORD } },
  );
  cleanup.add('step', () => proc.stop());
  const base = `http://127.0.0.1:${port}`;
  const client = new PanelClient(base);
  await waitFor(
    `the panel on ${base}`,
    async () => (await client.request('GET', '/healthz').catch(() => null))?.status === 200,
    60_000,
  );
  await client.call('POST', '/api/authenticate', { username: 'admin', password: PASSWORD });
  return { proc, client, base };
}

async function startAgents(n: number): Promise<FakeAgent[]> {
  const agents: FakeAgent[] = [];
  for (let i = 0; i < n; i++) {
    const a = await FakeAgent.start();
    cleanup.add('step', () => a.destroy());
    a.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    for (let p = 0; p < peers; p++)
      await a.wg.setPeer('wg0', {
        publicKey: generateWgKeyPair().publicKey,
        allowedIps: [`10.9.${Math.floor(p / 250)}.${(p % 250) + 2}/32`],
        presharedKey: null,
        persistentKeepalive: null,
        endpoint: null,
      });
    agents.push(a);
  }
  return agents;
}

const readyz = async (p: Panel) =>
  JSON.parse((await p.client.request('GET', '/readyz')).body.toString()) as { leases: number };

/** Sum and count of the cycle histogram on a panel's /metrics. */
async function cycles(p: Panel): Promise<CycleHistogram> {
  return cycleHistogram((await p.client.request('GET', '/metrics')).body);
}

/** n panels, nodes nodes: leases per panel once settled, and each panel's mean cycle (ms). */
async function scenario(panelCount: number, nodeCount: number, portBase: number) {
  const url = await freshSchema();
  const keyDir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-ha-key-'));
  cleanup.add('step', () => rm(keyDir, { recursive: true, force: true }));
  const keyFile = join(keyDir, 'secret.key');
  const panels: Panel[] = [await startPanel(url, keyFile, portBase)];
  for (let i = 1; i < panelCount; i++) panels.push(await startPanel(url, keyFile, portBase + i));
  const agents = await startAgents(nodeCount);
  for (const [i, a] of agents.entries())
    await panels[0]!.client.call('POST', '/api/addNode', { name: `sim-${i + 1}`, join: a.join });
  log(`${panelCount} panel(s), ${nodeCount} nodes added; waiting for the leases to settle`);
  let leases: number[] = [];
  await waitFor(
    'every node leased, shares within one',
    async () => {
      leases = await Promise.all(panels.map(async (p) => (await readyz(p)).leases));
      const sum = leases.reduce((a, b) => a + b, 0);
      return sum === nodeCount && Math.max(...leases) - Math.min(...leases) <= 1;
    },
    60_000,
  );
  await sleep(3000);
  const before = await Promise.all(panels.map(cycles));
  await sleep(seconds * 1000);
  const after = await Promise.all(panels.map(cycles));
  leases = await Promise.all(panels.map(async (p) => (await readyz(p)).leases));
  const meanMs = after.map((a, i) => {
    const b = before[i]!;
    return a.count > b.count ? ((a.sum - b.sum) / (a.count - b.count)) * 1000 : NaN;
  });
  for (const p of panels) await p.proc.stop();
  for (const a of agents) await a.destroy();
  return { leases, meanMs };
}

async function main() {
  try {
    log('single panel, 10 nodes');
    const single = await scenario(1, 10, 10_400);
    log('three panels, 30 nodes');
    const triple = await scenario(3, 30, 10_410);
    const mean = triple.leases.reduce((a, b) => a + b, 0) / triple.leases.length;
    const spread = (Math.max(...triple.leases) - Math.min(...triple.leases)) / mean;
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const lines = [
      `bench:ha (${peers} peers per node, poll 1 s, ${seconds} s measured, PostgreSQL)`,
      `  leases per panel (3 × 30 nodes): ${triple.leases.join(' / ')}; spread ${(spread * 100).toFixed(0)} % of the mean (goal ≤ ${GOAL_BALANCE * 100} %: ${spread <= GOAL_BALANCE ? 'met' : 'NOT met'})`,
      `  mean poll cycle, single panel × 10 nodes: ${fmt(single.meanMs[0]!)}`,
      `  mean poll cycle per panel, 3 × 30 nodes: ${triple.meanMs.map(fmt).join(' / ')}`,
      `  ratio (each of the three / single): ${triple.meanMs.map((m) => (m / single.meanMs[0]!).toFixed(2)).join(' / ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanup.runAll();
  }
}

await main();
