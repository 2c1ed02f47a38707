/**
 * Scale benchmark (issue 19, "beyond one machine's worth of peers"): the compiled panel (plain
 * node, bin/wgfleet.js) on PostgreSQL and on SQLite, polling N simulated nodes × P peers
 * (lib/scale-nodes.ts: HTTPS servers in this process serving the compact dump with moving counters
 * and the rest of the agent API a poll uses). The fleet grows through the sizes given (nodes are
 * added with the panel's own addNode, which imports their peers); at each size it measures, with
 * the poll interval set to --seconds-per-100k × the size:
 *   - the poll cycle (every node polled once): the mean of the panel's own cycle histogram over
 *     --cycles intervals;
 *   - the panel's CPU-seconds per cycle (from /proc/PID/stat over the same whole intervals);
 *   - its VmRSS and VmHWM (peak since start, adds and scrapes included);
 *   - the full listing of one 10k configuration (getWireguardConfigurationInfo without pageSize);
 *   - GET /metrics (the two scrapes that bracket the window);
 * then prints a table and the cost per peer at each size against the smallest. The enforcement
 * interval is an hour, so the windows hold poll cycles only. A benchmark, not a test: it asserts
 * nothing about time.
 *
 *   npm run bench:scale -- [--nodes 10,30,100] [--peers 10000] [--dialects sqlite,postgres]
 *     [--database postgres://…] [--cycles 3] [--seconds-per-100k sqlite=6,postgres=30]
 *     [--listing-rounds 3] [--peer-metrics on|off] [--max-minutes 40] [--skip-build]
 *     [--node-options unit|none]
 * `--node-options unit` (the default) starts the panel's node with the options its systemd unit
 * gives it (PANEL_NODE_OPTIONS), `none` without.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Cleanup } from './lib/cleanup.js';
import { cycleHistogram } from './lib/cycle-histogram.js';
import { postgresTarget, sqliteTarget, type BenchTarget } from './lib/ingest-target.js';
import { PanelClient } from './lib/panel-client.js';
import { cpuSeconds } from './lib/proc-cpu.js';
import { readMemory } from './lib/proc-status.js';
import { OwnedProcess, run, sleep, waitFor } from './lib/proc.js';
import { SimulatedNodes } from './lib/scale-nodes.js';
import { formatScaleReport, type ScaleRow } from './lib/scale-report.js';
import { summarize } from './lib/stats.js';
import { PANEL_NODE_OPTIONS } from '../src/cli/install/systemd-unit.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'bin', 'wgfleet.js');
const log = (msg: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

type Dialect = 'sqlite' | 'postgres';

function options() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '10,30,100' },
      peers: { type: 'string', default: '10000' },
      dialects: { type: 'string', default: 'sqlite,postgres' },
      database: {
        type: 'string',
        default: process.env.WGFLEET_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      },
      cycles: { type: 'string', default: '3' },
      'seconds-per-100k': { type: 'string', default: 'sqlite=6,postgres=30' },
      'listing-rounds': { type: 'string', default: '3' },
      'peer-metrics': { type: 'string', default: 'on' },
      'node-options': { type: 'string', default: 'unit' },
      'max-minutes': { type: 'string', default: '40' },
      port: { type: 'string', default: '10480' },
      'skip-build': { type: 'boolean', default: false },
    },
  });
  const int = (v: string, name: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const nodes = values.nodes.split(',').map((v) => int(v, 'nodes', 1, 1000));
  if (nodes.some((n, i) => i > 0 && n <= nodes[i - 1]!))
    throw new Error('--nodes must be increasing (the fleet grows from one size to the next)');
  const dialects = values.dialects.split(',').map((d) => {
    if (d !== 'sqlite' && d !== 'postgres') throw new Error('--dialects: sqlite and/or postgres');
    return d as Dialect;
  });
  const perHundredK: Record<Dialect, number> = { sqlite: 6, postgres: 30 };
  for (const part of values['seconds-per-100k'].split(',')) {
    const [d, s] = part.split('=');
    if ((d !== 'sqlite' && d !== 'postgres') || !(Number(s) > 0))
      throw new Error('--seconds-per-100k: e.g. sqlite=6,postgres=30');
    perHundredK[d] = Number(s);
  }
  if (values['peer-metrics'] !== 'on' && values['peer-metrics'] !== 'off')
    throw new Error('--peer-metrics must be on or off');
  if (values['node-options'] !== 'unit' && values['node-options'] !== 'none')
    throw new Error('--node-options must be unit or none');
  return {
    nodes,
    peers: int(values.peers, 'peers', 1, 100_000),
    dialects,
    database: values.database,
    cycles: int(values.cycles, 'cycles', 1, 100),
    perHundredK,
    listingRounds: int(values['listing-rounds'], 'listing-rounds', 1, 100),
    peerMetrics: values['peer-metrics'],
    nodeOptions: values['node-options'] === 'unit' ? PANEL_NODE_OPTIONS : [],
    maxMs: int(values['max-minutes'], 'max-minutes', 1, 600) * 60_000,
    port: int(values.port, 'port', 1024, 65_000),
    build: !values['skip-build'],
  };
}
type Options = ReturnType<typeof options>;

/** The poll interval at a size: --seconds-per-100k for the dialect, at least 2 s. */
const intervalFor = (o: Options, dialect: Dialect, nodes: number) =>
  Math.max(2, Math.ceil((o.perHundredK[dialect] * nodes * o.peers) / 100_000));

interface Panel {
  readonly proc: OwnedProcess;
  readonly pid: number;
  readonly client: PanelClient;
}

async function startPanel(cleanup: Cleanup, o: Options, target: BenchTarget): Promise<Panel> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-scale-'));
  cleanup.add(`remove ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
  const password = `bench-${process.pid}-${Date.now()}`;
  const port = o.port + (target.dialect === 'sqlite' ? 0 : 1);
  const proc = OwnedProcess.start(
    `panel (${target.dialect})`,
    process.execPath,
    [
      ...o.nodeOptions,
      ...[ENTRY, 'panel', '--data-dir', dataDir, '--database', target.url],
      ...['--listen', `127.0.0.1:${port}`, '--log-level', process.env.WGFLEET_BENCH_LOG ?? 'warn'],
      ...[
        '--poll-interval',
        String(intervalFor(o, target.dialect, o.nodes[0]!)),
        '--enforcement-interval',
        '3600',
      ],
      ...['--peer-metrics', o.peerMetrics],
    ],
    { cwd: ROOT, env: { ...process.env, WGFLEET_ADMIN_PASSWORD: password } },
  );
  cleanup.add(`stop the ${target.dialect} panel`, async () => {
    await proc.stop();
    if (process.env.WGFLEET_BENCH_LOG) log(proc.output());
  });
  const client = new PanelClient(`http://127.0.0.1:${port}`, { keepAlive: false });
  cleanup.add('close the client', async () => client.close());
  await waitFor(
    `the ${target.dialect} panel`,
    async () => {
      if (!proc.running) throw new Error(`the panel exited:\n${proc.output()}`);
      return (await client.request('GET', '/healthz').catch(() => null))?.status === 200;
    },
    120_000,
  );
  await client.call('POST', '/api/authenticate', { username: 'admin', password });
  return { proc, pid: proc.pid, client };
}

const setPollInterval = (p: Panel, seconds: number) =>
  p.client.call('POST', '/api/updatePanelSettings', { poll_interval_seconds: seconds });

async function scrape(p: Panel) {
  const res = await p.client.request('GET', '/metrics');
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  return { ms: res.ms, bytes: res.body.length, histogram: cycleHistogram(res.body) };
}

/** Measures the fleet as it is now (see the file's head). */
async function measure(
  o: Options,
  p: Panel,
  nodes: SimulatedNodes,
  dialect: Dialect,
  listing: string,
  addSeconds: number,
  startRssKiB: number,
): Promise<ScaleRow> {
  const peers = nodes.size * o.peers;
  const intervalS = intervalFor(o, dialect, nodes.size);
  await setPollInterval(p, intervalS);
  log(`${dialect} ${peers} peers: interval ${intervalS} s, one warm-up cycle`);
  await sleep(intervalS * 1000 + 2000);
  const first = await scrape(p);
  const cpu0 = await cpuSeconds(p.pid);
  const dumps0 = nodes.calls().dumps;
  const t0 = performance.now();
  await sleep(o.cycles * intervalS * 1000);
  const windowS = (performance.now() - t0) / 1000;
  const cpu1 = await cpuSeconds(p.pid);
  const dumps1 = nodes.calls().dumps;
  const second = await scrape(p);
  const cycles = second.histogram.count - first.histogram.count;
  const cycleMs =
    cycles > 0 ? ((second.histogram.sum - first.histogram.sum) / cycles) * 1000 : Number.NaN;
  const path = `/api/getWireguardConfigurationInfo?configurationName=${encodeURIComponent(listing)}`;
  const listingMs: number[] = [];
  let listingBytes = 0;
  for (let i = 0; i < o.listingRounds; i++) {
    const res = await p.client.request('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    listingMs.push(res.ms);
    listingBytes = res.body.length;
  }
  const mem = await readMemory(p.pid);
  return {
    dialect,
    nodes: nodes.size,
    peers,
    intervalS,
    cycles,
    cycleMs,
    cpuPerCycle: (cpu1 - cpu0) / (windowS / intervalS),
    dumpsPerNode: (dumps1 - dumps0) / nodes.size,
    startRssKiB,
    rssKiB: mem.rssKiB,
    hwmKiB: mem.hwmKiB,
    listingMs: summarize(listingMs).median,
    listingBytes,
    metricsMs: summarize([first.ms, second.ms]).median,
    metricsBytes: second.bytes,
    addSeconds,
  };
}

/** Grows one dialect's fleet through the sizes; returns a row per size measured in time. */
async function runDialect(o: Options, dialect: Dialect, deadline: number): Promise<ScaleRow[]> {
  const cleanup = new Cleanup();
  active = cleanup;
  const rows: ScaleRow[] = [];
  try {
    const target = dialect === 'sqlite' ? await sqliteTarget() : await postgresTarget(o.database);
    if (!target) {
      log(`postgres: ${o.database} does not answer; skipped`);
      return rows;
    }
    cleanup.add(`drop the ${dialect} database`, () => target.drop());
    // The nodes before the panel: undone last-in first-out, the panel stops polling them first.
    const nodes = await SimulatedNodes.create(o.peers);
    cleanup.add('stop the simulated nodes', () => nodes.close());
    const panel = await startPanel(cleanup, o, target);
    const { rssKiB: startRssKiB } = await readMemory(panel.pid);
    let listing = '';
    for (const size of o.nodes) {
      if (performance.now() > deadline) {
        log(`${dialect}: out of time (--max-minutes) before ${size} nodes`);
        break;
      }
      const t0 = performance.now();
      const joins = await nodes.add(size - nodes.size);
      for (const [i, join] of joins.entries()) {
        const name = `sim-${size - joins.length + i + 1}`;
        const added = await panel.client.call<{
          adopted: { ConfigurationName: string; imported_peers: number }[];
        }>('POST', '/api/addNode', { name, join });
        const adopted = added.adopted[0];
        if (adopted?.imported_peers !== o.peers)
          throw new Error(
            `addNode ${name}: imported ${adopted?.imported_peers} of ${o.peers} peers`,
          );
        listing ||= adopted.ConfigurationName;
      }
      const addSeconds = (performance.now() - t0) / 1000;
      log(`${dialect}: ${nodes.size} nodes added (${addSeconds.toFixed(0)} s)`);
      rows.push(await measure(o, panel, nodes, dialect, listing, addSeconds, startRssKiB));
      // Each size as it is measured, so a run cut short still leaves its figures.
      log(formatScaleReport(`${dialect} so far`, rows, []));
      const calls = nodes.calls();
      if (calls.peerWrites + calls.other > 0)
        log(`${dialect}: unexpected calls: ${calls.peerWrites} peer writes, ${calls.other} other`);
    }
  } finally {
    await cleanup.runAll();
  }
  return rows;
}

/** The dialect being measured: its undo steps run on SIGINT/SIGTERM too. */
let active: Cleanup | null = null;

async function main() {
  const o = options();
  const onSignal = () => void (active?.runAll() ?? Promise.resolve()).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (o.build) {
    log('building (npm run build) …');
    await run('npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
  }
  const started = performance.now();
  const deadline = started + o.maxMs;
  const rows: ScaleRow[] = [];
  const notes: string[] = [];
  for (const d of o.dialects)
    rows.push(
      ...(await runDialect(o, d, deadline).catch((e: unknown) => {
        const why = e instanceof Error ? e.message : String(e);
        log(`${d}: failed: ${why}`);
        notes.push(`${d}: FAILED (${why.split('\n')[0]}); its sizes measured before are lost`);
        return [];
      })),
    );
  const [load1, load5] = (await run('cat', ['/proc/loadavg'])).split(' ');
  const header =
    `bench:scale: ${o.nodes.join(' → ')} nodes × ${o.peers} peers, ${o.cycles} cycles per size, ` +
    `per-peer metrics ${o.peerMetrics}, node options ${o.nodeOptions.join(' ') || 'none'}, node ${process.version}, load ${load1}/${load5} at the end, ` +
    `${((performance.now() - started) / 60_000).toFixed(1)} min`;
  process.stdout.write(
    `${formatScaleReport(header, rows, [
      'cycle: mean of the panel histogram; CPU: per poll interval (one cycle each) over whole intervals;',
      'dumps/node below the cycles: some cycles overran the interval (a node still busy is skipped).',
      ...notes,
    ])}\n`,
  );
}

await main();
