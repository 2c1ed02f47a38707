/**
 * Usage ingest benchmark (issue 4, "Speed"): 20 simulated nodes × 5,000 peers = 100,000 peers,
 * every counter moving. Times one full cycle (the usage sink on every configuration's dump:
 * ledger, batched usage write, minute samples (written once a minute: the clock moves one poll
 * interval, 10 s, per cycle), the policy's check of every peer — all have a
 * limit — and its decisions) against a floor:
 * the same number of rows updated in one transaction on the bare driver (SQLite: a prepared
 * statement per row, in-process; PostgreSQL: one batched statement over column arrays, as the
 * product's writes are batched). Interleaved
 * rounds; prints the ratios of medians and of means, and RSS. Asserts nothing about time. The
 * cycle includes checking each dump against the agent API's schema, as the agent client does
 * with every answer; its share of the cycle is printed.
 *
 * Two processes, so the memory reported is the product's: this one (under tsx) creates the
 * fixture and runs the floor; the cycles run in a child process on the compiled sources with
 * plain node, as `wgfleet` runs (see lib/ingest-cycles.ts). Its peak RSS is the one compared
 * with the goal: no TypeScript loader, no set-up, no floor in it — only the usage area, its
 * database driver and the dumps it is handed.
 *
 *   npm run bench:ingest -- [--nodes 20] [--peers 5000] [--rounds 7] [--warmup 1]
 *                           [--dialects sqlite,postgres] [--node-options unit|none]
 *
 * `--node-options unit` (the default) runs the measured process with the node options the panel's
 * systemd unit gives it (PANEL_NODE_OPTIONS: how far V8 lets the heap grow), `none` without.
 *
 * PostgreSQL comes from WGFLEET_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test)
 * and is skipped when it does not answer. WGFLEET_BENCH_TOTALS=1: the dumps carry the agent's
 * totals (as from agents with their own ledger), counted by them.
 */
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '../src/panel/adapters/db/index.js';
import { createIngestFixture } from './lib/ingest-fixture.js';
import { postgresFloor, sqliteFloor } from './lib/ingest-floor.js';
import { compileCycles, CyclesProcess } from './lib/ingest-runner.js';
import { postgresTarget, sqliteTarget, type BenchTarget } from './lib/ingest-target.js';
import { readMemory } from './lib/proc-status.js';
import { PANEL_NODE_OPTIONS } from '../src/cli/install/systemd-unit.js';
import { summarize } from './lib/stats.js';

// Issue 19: the cycle within 1.5× its floor, the process within 250 MB (scrapes included).
const GOALS = { ratio: 1.5, rssMB: 250 } as const;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '20' },
      peers: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '7' },
      warmup: { type: 'string', default: '1' },
      dialects: { type: 'string', default: 'sqlite,postgres' },
      'node-options': { type: 'string', default: 'unit' },
    },
  });
  if (values['node-options'] !== 'unit' && values['node-options'] !== 'none')
    throw new Error('--node-options must be unit or none');
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
    warmup: Number(values.warmup),
    dialects: values.dialects.split(',').map((d) => d.trim()),
    nodeOptions: values['node-options'] === 'unit' ? PANEL_NODE_OPTIONS : [],
  };
}

const MiB = (kib: number) => (kib / 1024).toFixed(0);

async function runOn(
  target: BenchTarget,
  o: ReturnType<typeof options>,
  entry: string,
): Promise<string> {
  log(`${target.dialect}: creating ${o.nodes} × ${o.peers} peers (in the benchmark's process) …`);
  const database = openDatabase(target.url);
  let fixture;
  try {
    await migrateToLatest(database);
    fixture = await createIngestFixture(database, o.nodes, o.peers);
  } finally {
    await database.close();
  }
  const own = await readMemory(process.pid);
  log(`  set up; this process: RSS ${MiB(own.rssKiB)} MiB (peak ${MiB(own.hwmKiB)}), not measured`);
  const allIds = fixture.flatMap((c) => c.peerIds);
  const sources = fixture.map(({ nodeId, configurationId, keys }) => ({
    nodeId,
    configurationId,
    keys,
  }));
  const { process: cycles, ready } = await CyclesProcess.start(
    entry,
    target.url,
    sources,
    o.nodeOptions,
  );
  try {
    log(
      `  measured process ready (modules loaded, usage area built): RSS ${MiB(ready.rssKiB)} MiB`,
    );
    const times: number[] = [];
    const checks: number[] = [];
    const floors: number[] = [];
    let hwm = 0;
    let heap = 0;
    const cycle = async (round: number) => {
      const a = await cycles.cycle(round);
      hwm = Math.max(hwm, a.hwmKiB);
      heap = Math.max(heap, a.heapUsed);
      return a;
    };
    const floor = (round: number) =>
      target.dialect === 'sqlite'
        ? sqliteFloor(target.floorTarget, allIds, round)
        : postgresFloor(target.floorTarget, allIds, round);
    // Round 0 is the baseline dump (the peers' first counters); then warm-up, then recorded.
    await cycle(0);
    for (let r = 1; r <= o.warmup + o.rounds; r++) {
      const record = r > o.warmup;
      let a;
      let b;
      if (r % 2 === 0) {
        a = await cycle(r);
        b = await floor(r);
      } else {
        b = await floor(r);
        a = await cycle(r);
      }
      if (record) {
        times.push(a.ms);
        checks.push(a.checkMs);
        floors.push(b);
      }
      log(
        `  round ${r}${record ? '' : ' (warm-up)'}: cycle ${a.ms.toFixed(0)} ms, floor ${b.toFixed(0)} ms, measured RSS ${MiB(a.rssKiB)} MiB (peak ${MiB(a.hwmKiB)})`,
      );
    }
    const end = await cycles.finish();
    const c = summarize(times);
    const k = summarize(checks);
    const f = summarize(floors);
    const ratio = c.median / f.median;
    const mean = (xs: readonly number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const meanRatio = mean(times) / mean(floors);
    const rssMB = (hwm * 1024) / 1e6;
    const live =
      end.liveHeap === null
        ? ''
        : `; live after a full GC at the end ${(end.liveHeap / 1e6).toFixed(0)} MB`;
    return [
      `${target.dialect}: ${o.nodes} nodes × ${o.peers} peers = ${allIds.length} peers, ${o.rounds} rounds (+${o.warmup} warm-up), measured process with node options: ${o.nodeOptions.join(' ') || 'none'}`,
      `  A  full cycle (ingest + samples + policy + events)  median ${c.median.toFixed(1)} ms  (p25–p75 ${c.p25.toFixed(0)}–${c.p75.toFixed(0)})`,
      `    of which the answer check (every dump against the agent API schema, compiled once)  median ${k.median.toFixed(1)} ms = ${((100 * k.median) / c.median).toFixed(1)} % of A`,
      `  B  floor: ${target.dialect === 'sqlite' ? `${allIds.length} bare prepared UPDATEs` : `one UPDATE … FROM unnest() of ${allIds.length} rows`}, one txn  median ${f.median.toFixed(1)} ms  (p25–p75 ${f.p25.toFixed(0)}–${f.p75.toFixed(0)})`,
      `  ratio of medians A/B: ${ratio.toFixed(2)}×  (goal ≤ ${GOALS.ratio}×: ${ratio <= GOALS.ratio ? 'within goal' : 'ABOVE goal'})`,
      `  ratio of means A/B (minute writes included): ${meanRatio.toFixed(2)}×  (A mean ${mean(times).toFixed(1)} ms, B mean ${mean(floors).toFixed(1)} ms)`,
      `  peak RSS (VmHWM) of the measured process (compiled, plain node; set-up and floor elsewhere): ${rssMB.toFixed(0)} MB  (goal ≤ ${GOALS.rssMB} MB: ${rssMB <= GOALS.rssMB ? 'within goal' : 'ABOVE goal'})`,
      `    of which before the first cycle (node, modules, driver, usage area): ${((ready.rssKiB * 1024) / 1e6).toFixed(0)} MB`,
      `  largest V8 heap in use after a cycle: ${(heap / 1e6).toFixed(0)} MB (garbage included)${live}`,
      `  minute sample rows written: ${end.sampleRows}`,
    ].join('\n');
  } finally {
    cycles.kill();
  }
}

async function main() {
  const o = options();
  log('compiling the measured side (tsc) …');
  const entry = await compileCycles();
  const reports: string[] = [];
  for (const dialect of o.dialects) {
    const target =
      dialect === 'sqlite'
        ? await sqliteTarget()
        : dialect === 'postgres'
          ? await postgresTarget(
              process.env.WGFLEET_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
            )
          : null;
    if (!target) {
      reports.push(`${dialect}: skipped (not reachable or not supported)`);
      continue;
    }
    try {
      reports.push(await runOn(target, o, entry));
    } finally {
      await target.drop();
    }
  }
  process.stdout.write(
    `wgfleet usage ingest benchmark, node ${process.version}\n${reports.join('\n')}\n`,
  );
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
