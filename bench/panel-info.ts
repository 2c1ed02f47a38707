/**
 * Panel benchmark: one configuration with N peers (default 10,000) on a real node (wireguard-go
 * interface + agent in a network namespace) added to a real panel (compiled, SQLite). It times
 * `getWireguardConfigurationInfo` as scripts call it (no pageSize: all N peers) and with a page
 * of 50, against floors measured in the same run on the bare driver: the columns the answer needs
 * read as arrays by one prepared statement (all rows; 50 rows), and `SELECT *` as row objects for
 * reference; prints the ratios of medians, the panel's memory, and the CPU the panel spends per
 * minute while it polls that configuration every 10 s with nothing else to do.
 * A benchmark, not a test: it asserts nothing about time. Needs root.
 *
 * With `--with-secrets`, every peer gets a sealed private and preshared key first (secrets at rest:
 * the listing must not decrypt them; the idle polls' full compares read the preshared keys).
 *
 *   npm run bench:panel -- [--peers N] [--rounds N] [--idle-seconds S] [--skip-build] [--with-secrets]
 *                          [--panel-node-flag=--cpu-prof --panel-node-flag=--cpu-prof-dir=DIR]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LISTING_COLUMNS } from '../src/panel/adapters/db/repos/peers-listing.js';
import { formatJoinString } from '../src/shared/join-string.js';
import { startAgent } from './lib/agent-process.js';
import { giveEveryPeerSealedKeys } from './lib/bench-secrets.js';
import { Cleanup } from './lib/cleanup.js';
import { PanelClient } from './lib/panel-client.js';
import { cpuSeconds } from './lib/proc-cpu.js';
import { readMemory } from './lib/proc-status.js';
import { OwnedProcess, run, sleep, waitFor } from './lib/proc.js';
import { summarize } from './lib/stats.js';
import { createWgFixture } from './lib/wg-fixture.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SELF), '..');
const ENTRY = join(ROOT, 'bin', 'wgfleet.js');
const AGENT_LISTEN = '127.0.0.1:8787';
const PANEL_URL = 'http://127.0.0.1:10086';
const GOALS = { ratio: 3, allMs: 100, pageMs: 10, rssMB: 200, cpuPerMinute: 1 } as const;
const PAGE = 50;
/**
 * What the answer needs of a peer: the listing's columns (the product's own list, so the floor
 * grows with the answer) and its two key flags.
 */
const NEEDED_COLUMNS = [
  ...LISTING_COLUMNS,
  'private_key IS NOT NULL',
  'preshared_key IS NOT NULL',
].join(', ');
const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface InnerConfig {
  readonly join: string;
  readonly password: string;
  readonly dbPath: string;
  readonly panelPid: number;
  readonly peers: number;
  readonly rounds: number;
  readonly idleSeconds: number;
  readonly withSecrets: boolean;
}

/** Inside the namespace: add the node, wait for the import, measure, print the report. */
async function inner(c: InnerConfig): Promise<string> {
  const panel = new PanelClient(PANEL_URL);
  const answers = (attempt: () => Promise<unknown>) => async () =>
    attempt().then(
      () => true,
      () => false,
    );
  await waitFor(
    'the panel',
    answers(() => panel.request('GET', '/api/validateAuthentication')),
    60_000,
  );
  await panel.call('POST', '/api/authenticate', { username: 'admin', password: c.password });
  // The agent may still be starting: addNode answers 502 until it does.
  const body = { name: 'bench', join: c.join, public_host: '127.0.0.1' };
  await waitFor(
    'the node to join',
    answers(() => panel.call('POST', '/api/addNode', body)),
    60_000,
  );
  type Config = { Name: string; TotalPeers?: number; peers?: { total: number } };
  let name = '';
  await waitFor(
    `${c.peers} peers imported`,
    async () => {
      const list = await panel.call<Config[]>('GET', '/api/getWireguardConfigurations');
      name = list[0]?.Name ?? '';
      const info = name
        ? await panel.call<{ paging: { totalPeers: number } }>(
            'GET',
            `/api/getWireguardConfigurationInfo?configurationName=${name}&pageSize=1`,
          )
        : null;
      return (info?.paging.totalPeers ?? 0) >= c.peers;
    },
    120_000,
  );

  if (c.withSecrets) log(`sealed keys given to ${giveEveryPeerSealedKeys(c.dbPath)} peers`);
  const afterImport = await readMemory(c.panelPid);
  const db = new Database(c.dbPath, { readonly: true });
  const configId = (
    db.prepare('SELECT id FROM configurations WHERE name = ?').get(name) as { id: number }
  ).id;
  // Floors, each the bare driver in this process: `SELECT *` as objects (pays the same row
  // building as the product did), and the columns the answer needs read as arrays by one prepared
  // statement — the whole list, and a page of 50.
  const star = db.prepare(
    'SELECT * FROM peers WHERE configuration_id = ? ORDER BY name_sort_key, id LIMIT ?',
  );
  const needed = db
    .prepare(
      `SELECT ${NEEDED_COLUMNS} FROM peers WHERE configuration_id = ? ORDER BY name_sort_key, id LIMIT ?`,
    )
    .raw(true);
  const info = `/api/getWireguardConfigurationInfo?configurationName=${encodeURIComponent(name)}`;
  const bytes = { all: 0, page: 0 };
  const call = (path: string, key: keyof typeof bytes) => async () => {
    const res = await panel.request('GET', path);
    if (res.status !== 200)
      throw new Error(`info answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
    bytes[key] = res.body.length;
    return res.ms;
  };
  const query = (stmt: Database.Statement, limit: number) => async () => {
    const t0 = performance.now();
    const rows = stmt.all(configId, limit);
    if (rows.length !== Math.min(limit, c.peers))
      throw new Error(`bare query read ${rows.length} rows`);
    return performance.now() - t0;
  };
  const steps = {
    all: call(info, 'all'), // the default call: no pageSize, every peer (WGDashboard's shape)
    page: call(`${info}&pageSize=${PAGE}`, 'page'),
    star: query(star, c.peers),
    needed: query(needed, c.peers),
    neededPage: query(needed, PAGE),
  };
  const times = Object.fromEntries(Object.keys(steps).map((k) => [k, [] as number[]])) as Record<
    keyof typeof steps,
    number[]
  >;
  const order = Object.keys(steps) as (keyof typeof steps)[];
  for (let round = -5; round < c.rounds; round++) {
    // Rotate the order so no step always runs right after the same other one.
    const shift = ((round % order.length) + order.length) % order.length;
    for (const k of [...order.slice(shift), ...order.slice(0, shift)]) {
      const ms = await steps[k]();
      if (round >= 0) times[k].push(ms);
    }
  }
  db.close();
  const mem = await readMemory(c.panelPid);
  log(`idle polling for ${c.idleSeconds} s …`);
  const cpu0 = await cpuSeconds(c.panelPid);
  await sleep(c.idleSeconds * 1000);
  const cpuPerMinute = ((await cpuSeconds(c.panelPid)) - cpu0) * (60 / c.idleSeconds);
  const afterIdle = await readMemory(c.panelPid);
  panel.close();

  const S = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)])) as Record<
    keyof typeof steps,
    ReturnType<typeof summarize>
  >;
  const ms = (k: keyof typeof steps) =>
    `median ${S[k].median.toFixed(1)} ms (p25–p75 ${S[k].p25.toFixed(1)}–${S[k].p75.toFixed(1)})`;
  const ratio = S.all.median / S.needed.median;
  const pageRatio = S.page.median / S.neededPage.median;
  const verdict = (ok: boolean) => (ok ? 'within goal' : 'ABOVE goal');
  const mb = (kib: number) => `${(kib / 1024).toFixed(1)} MB`;
  return [
    `wgfleet panel benchmark: one configuration with ${c.peers} peers${c.withSecrets ? ' (each with a sealed private and preshared key)' : ''}, ${c.rounds} rounds interleaved (+5 warm-up), SQLite`,
    `  A  getWireguardConfigurationInfo, default (no pageSize: all peers, to last byte)  ${ms('all')}, ${(bytes.all / 1e6).toFixed(1)} MB`,
    `  P  the same with pageSize=${PAGE} (to last byte)                                  ${ms('page')}, ${(bytes.page / 1e3).toFixed(0)} kB`,
    `  B  floor: the answer's columns as arrays, one prepared statement (all rows)       ${ms('needed')}`,
    `  Bp floor: the same for ${PAGE} rows                                                 ${ms('neededPage')}`,
    `  S  reference: SELECT * as row objects (the rows the product used to build)        ${ms('star')}`,
    `  ratio A/B: ${ratio.toFixed(2)}×  (goal ≤ ${GOALS.ratio}×: ${verdict(ratio <= GOALS.ratio)}; A goal ≤ ${GOALS.allMs} ms: ${verdict(S.all.median <= GOALS.allMs)})`,
    `  ratio P/Bp: ${pageRatio.toFixed(1)}×  (P goal ≤ ${GOALS.pageMs} ms: ${verdict(S.page.median <= GOALS.pageMs)});  A/S: ${(S.all.median / S.star.median).toFixed(2)}×`,
    `  panel memory (VmRSS / peak VmHWM): after the node joined ${mb(afterImport.rssKiB)} / ${mb(afterImport.hwmKiB)};` +
      ` after the info calls ${mb(mem.rssKiB)} / ${mb(mem.hwmKiB)}; after idle polling ${mb(afterIdle.rssKiB)} / ${mb(afterIdle.hwmKiB)}`,
    `  (goal ≤ ${GOALS.rssMB} MB: ${verdict(afterIdle.hwmKiB / 1024 <= GOALS.rssMB)})`,
    `  panel CPU while polling every 10 s, idle: ${cpuPerMinute.toFixed(2)} CPU-s per minute  (goal ≤ ${GOALS.cpuPerMinute}: ${verdict(cpuPerMinute <= GOALS.cpuPerMinute)})`,
  ].join('\n');
}

/** Runs `inner` in the namespace (settings on stdin: the join string holds a secret). */
function runInner(cleanup: Cleanup, ns: string, config: InnerConfig): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, ...process.execArgv, SELF, '--inner'],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
        shell: false,
      },
    );
    cleanup.add('stop the measuring process', async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stdin.end(JSON.stringify(config));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`measuring process exited with ${code}`)),
    );
  });
}

interface OuterOptions {
  readonly peers: number;
  readonly rounds: number;
  readonly idleSeconds: number;
  readonly build: boolean;
  readonly withSecrets: boolean;
  /** Node.js flags for the panel process (e.g. `--cpu-prof` to see where its CPU goes). */
  readonly nodeFlags: readonly string[];
}

async function outer(o: OuterOptions) {
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespaces, wireguard-go)');
  if (o.build) {
    log('building (npm run build) …');
    await run('npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
  }
  const cleanup = new Cleanup();
  const onSignal = () => void cleanup.runAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`building an interface with ${o.peers} peers …`);
    const fx = await createWgFixture(cleanup, o.peers);
    const agent = await startAgent(cleanup, {
      entry: ENTRY,
      cwd: ROOT,
      ns: fx.ns,
      iface: fx.iface,
      listen: AGENT_LISTEN,
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-panel-'));
    cleanup.add(`remove ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
    const password = `bench-${process.pid}-${Date.now()}`;
    const panel = OwnedProcess.start(
      'panel',
      'ip',
      [
        ...['netns', 'exec', fx.ns, process.execPath, ...o.nodeFlags, ENTRY, 'panel'],
        ...['--data-dir', dataDir],
        ...['--listen', new URL(PANEL_URL).host, '--poll-interval', '10', '--log-level', 'warn'],
      ],
      { cwd: ROOT, env: { ...process.env, WGFLEET_ADMIN_PASSWORD: password } },
    );
    cleanup.add('stop the panel', () => panel.stop());
    const report = await runInner(cleanup, fx.ns, {
      join: formatJoinString(agent.join),
      password,
      dbPath: join(dataDir, 'wgfleet.db'),
      panelPid: panel.pid,
      peers: o.peers,
      rounds: o.rounds,
      idleSeconds: o.idleSeconds,
      withSecrets: o.withSecrets,
    });
    process.stdout.write(report);
  } finally {
    await cleanup.runAll();
  }
}

const { values } = parseArgs({
  options: {
    inner: { type: 'boolean', default: false },
    peers: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '20' },
    'idle-seconds': { type: 'string', default: '60' },
    'skip-build': { type: 'boolean', default: false },
    'with-secrets': { type: 'boolean', default: false },
    'panel-node-flag': { type: 'string', multiple: true, default: [] },
  },
});
if (values.inner) {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  process.stdout.write(
    `${await inner(JSON.parse(Buffer.concat(chunks).toString('utf8')) as InnerConfig)}\n`,
  );
} else {
  await outer({
    peers: Number(values.peers),
    rounds: Number(values.rounds),
    idleSeconds: Number(values['idle-seconds']),
    build: !values['skip-build'],
    withSecrets: values['with-secrets'],
    nodeFlags: values['panel-node-flag'],
  });
}
