/**
 * /metrics benchmark (issue 19, item 1): the compiled panel on a SQLite file holding N nodes × P
 * peers (default 10 × 10,000 = 100,000), scraped as Prometheus does, against a floor measured in
 * the same run: the same per-peer series built by plain string concatenation from one prepared
 * statement's raw rows, in a process of its own (lib/metrics-floor.ts). Interleaved rounds; prints the medians, their
 * ratio, the answer's size and how much the panel's memory grows while it answers (VmHWM, reset
 * after the warm-up scrape, and VmRSS sampled during each scrape, against VmRSS before them).
 * The panel's polls fail at once (the nodes point at a closed port) and run once an hour.
 * A benchmark, not a test: it asserts nothing about time.
 *
 *   npm run bench:metrics -- [--nodes 10] [--peers 10000] [--rounds 10] [--skip-build]
 *                            [--panel-node-flag=--cpu-prof --panel-node-flag=--cpu-prof-dir=DIR]
 */
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { Cleanup } from './lib/cleanup.js';
import { createMetricsFixture } from './lib/metrics-fixture.js';
import { PanelClient } from './lib/panel-client.js';
import { readMemory } from './lib/proc-status.js';
import { OwnedProcess, run, sleep, waitFor } from './lib/proc.js';
import { summarize } from './lib/stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'bin', 'wgfleet.js');
const GOALS = { ms: 300, growthMB: 30 } as const;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '10' },
      peers: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '10' },
      'skip-build': { type: 'boolean', default: false },
      'panel-node-flag': { type: 'string', multiple: true, default: [] },
    },
  });
  const int = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return {
    nodes: int(values.nodes, 'nodes'),
    peers: int(values.peers, 'peers'),
    rounds: int(values.rounds, 'rounds'),
    build: !values['skip-build'],
    nodeFlags: values['panel-node-flag'],
  };
}

/** A port free on loopback now (the panel binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject()));
    });
  });
}

/** Runs `work` while sampling the process's VmRSS; resolves with its result and the peak (KiB). */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<[T, number]> {
  let peak = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, (await readMemory(pid)).rssKiB);
      await sleep(5);
    }
  })();
  try {
    return [await work(), peak];
  } finally {
    done = true;
    await sampler;
    peak = Math.max(peak, (await readMemory(pid)).rssKiB);
  }
}

async function main() {
  const o = options();
  if (o.build) {
    log('building (npm run build) …');
    await run('npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
  }
  const cleanup = new Cleanup();
  const onSignal = () => void cleanup.runAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-metrics-'));
    cleanup.add(`remove ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
    const file = join(dataDir, 'wgfleet.db');
    log(`creating ${o.nodes} × ${o.peers} peers …`);
    await createMetricsFixture(file, o.nodes, o.peers);
    const port = await freePort();
    const password = `bench-${process.pid}-${Date.now()}`;
    const panel = OwnedProcess.start(
      'panel',
      process.execPath,
      [
        ...[...o.nodeFlags, ENTRY, 'panel', '--data-dir', dataDir],
        ...['--listen', `127.0.0.1:${port}`, '--poll-interval', '3600', '--log-level', 'warn'],
      ],
      { cwd: ROOT, env: { ...process.env, WGFLEET_ADMIN_PASSWORD: password } },
    );
    cleanup.add('stop the panel', () => panel.stop());
    const client = new PanelClient(`http://127.0.0.1:${port}`, { keepAlive: false });
    cleanup.add('close the client', async () => client.close());
    await waitFor(
      'the panel',
      () =>
        client.request('GET', '/api/validateAuthentication').then(
          () => true,
          () => false,
        ),
      60_000,
    );
    await client.call('POST', '/api/authenticate', { username: 'admin', password });
    // The floor runs in a process of its own, on a clean heap, as the panel does.
    const floorProcess = fork(join(ROOT, 'bench', 'lib', 'metrics-floor-process.ts'), [file], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    cleanup.add('stop the floor process', async () => {
      if (floorProcess.connected) floorProcess.send({ type: 'finish' });
    });
    type FloorAnswer = { ms: number; bytes: number; rows: number };
    const floor = () =>
      new Promise<FloorAnswer>((resolveFloor, reject) => {
        floorProcess.once('message', (m) => resolveFloor(m as FloorAnswer));
        floorProcess.once('error', reject);
        floorProcess.send({ type: 'floor' });
      });
    await floor(); // warm-up

    const scrape = async () => {
      const res = await client.request('GET', '/metrics');
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      return res;
    };
    await scrape(); // warm-up (modules, statements)
    await sleep(2000);
    // Forget the peak so far (start-up, warm-up): VmHWM then holds the scrapes' peak alone.
    await writeFile(`/proc/${panel.pid}/clear_refs`, '5');
    const before = await readMemory(panel.pid);
    const times: number[] = [];
    const floors: number[] = [];
    let peakKiB = 0;
    let bytes = 0;
    let peerSeries = 0;
    let floorBytes = 0;
    for (let round = 0; round < o.rounds; round++) {
      const pair = async () => {
        const [res, peak] = await sampled(panel.pid, scrape);
        peakKiB = Math.max(peakKiB, peak);
        bytes = res.body.length;
        peerSeries = res.body.toString('utf8').match(/^wgfleet_peer_/gm)?.length ?? 0;
        return res.ms;
      };
      // Alternate the order so neither side always runs second.
      let a: number;
      let b: FloorAnswer;
      if (round % 2) {
        a = await pair();
        b = await floor();
      } else {
        b = await floor();
        a = await pair();
      }
      times.push(a);
      floors.push(b.ms);
      floorBytes = b.bytes;
      log(`  round ${round}: scrape ${a.toFixed(0)} ms, floor ${b.ms.toFixed(0)} ms`);
    }
    const after = await readMemory(panel.pid);
    const A = summarize(times);
    const B = summarize(floors);
    const ratio = A.median / B.median;
    const peakGrowth = (Math.max(peakKiB, after.hwmKiB) - before.rssKiB) / 1024;
    const mb = (kib: number) => `${(kib / 1024).toFixed(0)} MB`;
    const verdict = (ok: boolean) => (ok ? 'within goal' : 'ABOVE goal');
    process.stdout.write(
      [
        `wgfleet /metrics benchmark: ${o.nodes} nodes × ${o.peers} peers = ${o.nodes * o.peers} peers, SQLite, ${o.rounds} rounds interleaved (+1 warm-up), node ${process.version}`,
        `  A  GET /metrics (to last byte)                          median ${A.median.toFixed(0)} ms (p25–p75 ${A.p25.toFixed(0)}–${A.p75.toFixed(0)}), ${(bytes / 1e6).toFixed(1)} MB, ${peerSeries} wgfleet_peer_* series`,
        `  B  floor: raw rows of one statement + text in pieces  median ${B.median.toFixed(0)} ms (p25–p75 ${B.p25.toFixed(0)}–${B.p75.toFixed(0)}), ${(floorBytes / 1e6).toFixed(1)} MB`,
        `  ratio of medians A/B: ${ratio.toFixed(2)}×   A: goal ≤ ${GOALS.ms} ms: ${verdict(A.median <= GOALS.ms)}`,
        `  panel memory: VmRSS before the scrapes ${mb(before.rssKiB)}, peak while scraping ${mb(Math.max(peakKiB, after.hwmKiB))} (+${peakGrowth.toFixed(0)} MB; goal ≤ +${GOALS.growthMB} MB: ${verdict(peakGrowth <= GOALS.growthMB)}), after ${mb(after.rssKiB)}`,
      ].join('\n') + '\n',
    );
  } finally {
    await cleanup.runAll();
  }
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
