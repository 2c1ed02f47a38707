/**
 * Usage ingest benchmark (issue 4, "Speed"): 20 simulated nodes × 5,000 peers = 100,000 peers,
 * every counter moving. Times one full cycle (the usage sink on every configuration's dump:
 * ledger, batched usage write, minute samples (written once a minute: the clock moves one poll
 * interval, 10 s, per cycle), the policy's check of every peer — all have a
 * limit — and its decisions) against a floor:
 * the same number of rows updated by a bare prepared statement in one transaction. Interleaved
 * rounds; prints the ratios of medians and of means, and the process's RSS. Asserts nothing about time.
 *
 *   npm run bench:ingest -- [--nodes 20] [--peers 5000] [--rounds 7] [--warmup 1]
 *                           [--dialects sqlite,postgres]
 *
 * PostgreSQL comes from WGFLEET_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test)
 * and is skipped when it does not answer.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Registry } from 'prom-client';
import { migrateToLatest, openDatabase } from '../src/panel/adapters/db/index.js';
import { createAgentClients } from '../src/panel/adapters/agent-client/agent-clients.js';
import { createUsageArea } from '../src/panel/areas/usage-area.js';
import { resolvePanelConfig } from '../src/panel/config.js';
import type { PanelContext } from '../src/panel/context.js';
import { createIngestFixture, syntheticDump } from './lib/ingest-fixture.js';
import { postgresFloor, sqliteFloor } from './lib/ingest-floor.js';
import { postgresTarget, sqliteTarget, type BenchTarget } from './lib/ingest-target.js';
import { readMemory } from './lib/proc-status.js';
import { summarize } from './lib/stats.js';

const GOALS = { ratio: 2, rssMB: 300 } as const;
const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '20' },
      peers: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '7' },
      warmup: { type: 'string', default: '1' },
      dialects: { type: 'string', default: 'sqlite,postgres' },
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
    warmup: Number(values.warmup),
    dialects: values.dialects.split(',').map((d) => d.trim()),
  };
}

async function runOn(target: BenchTarget, o: ReturnType<typeof options>): Promise<string> {
  const database = openDatabase(target.url);
  try {
    await migrateToLatest(database);
    log(`${target.dialect}: creating ${o.nodes} × ${o.peers} peers …`);
    const start = await readMemory(process.pid);
    log(`  before set-up: RSS ${(start.rssKiB / 1024).toFixed(0)} MiB`);
    const fixture = await createIngestFixture(database, o.nodes, o.peers);
    const setup = await readMemory(process.pid);
    log(
      `  set up: RSS ${(setup.rssKiB / 1024).toFixed(0)} MiB (peak ${(setup.hwmKiB / 1024).toFixed(0)})`,
    );
    const allIds = fixture.flatMap((c) => c.peerIds);
    let clock = new Date('2026-11-27T12:00:00Z');
    const ctx: PanelContext = {
      config: {
        ...resolvePanelConfig({
          listen: '127.0.0.1:0',
          dataDir: '/tmp',
          pollInterval: '10',
          pollConcurrency: '4',
          sessionTtl: '1',
          logLevel: 'silent',
        }),
        databaseUrl: target.url,
      },
      database,
      logger: pino({ level: 'silent' }),
      now: () => clock,
      agents: createAgentClients(5_000),
      metrics: new Registry(),
    };
    const area = createUsageArea(ctx, { converge: async () => ({ applied: true }) });
    const cycles: number[] = [];
    const floors: number[] = [];
    let hwm = 0;
    let heapMB = 0;
    const cycle = async (round: number) => {
      // One poll interval later: minute samples are written once per minute, on the first poll
      // of the next minute (about one cycle in six at 10 s), so medians and means both matter.
      clock = new Date(clock.getTime() + ctx.config.pollIntervalMs);
      // Each dump as the poller hands it over (a parsed agent answer): built outside the timing.
      let ms = 0;
      for (const c of fixture) {
        const d = syntheticDump(c, round, clock);
        const t0 = performance.now();
        await area.ingest.onDump(d);
        ms += performance.now() - t0;
      }
      return ms;
    };
    const floor = (round: number) =>
      target.dialect === 'sqlite'
        ? sqliteFloor(target.floorTarget, allIds, round)
        : postgresFloor(target.floorTarget, allIds, round);
    // Round 0 is the baseline dump (the peers' first counters); then warm-up, then recorded.
    await cycle(0);
    for (let r = 1; r <= o.warmup + o.rounds; r++) {
      const record = r > o.warmup;
      const [a, b] =
        r % 2 === 0 ? [await cycle(r), await floor(r)] : swap(await floor(r), await cycle(r));
      hwm = Math.max(hwm, (await readMemory(process.pid)).hwmKiB);
      (globalThis as { gc?: () => void }).gc?.();
      const mu = process.memoryUsage();
      heapMB = Math.max(heapMB, mu.heapUsed / 1e6);
      if (record) {
        cycles.push(a);
        floors.push(b);
      }
      const mem = await readMemory(process.pid);
      log(
        `  round ${r}${record ? '' : ' (warm-up)'}: cycle ${a.toFixed(0)} ms, floor ${b.toFixed(0)} ms, RSS ${(mem.rssKiB / 1024).toFixed(0)} MiB (peak ${(mem.hwmKiB / 1024).toFixed(0)})`,
      );
    }
    const c = summarize(cycles);
    const f = summarize(floors);
    const ratio = c.median / f.median;
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const meanRatio = mean(cycles) / mean(floors);
    const rssMB = (hwm * 1024) / 1e6;
    await area.flushSamples();
    const rows = await database.db
      .selectFrom('peer_usage_minute')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return [
      `${target.dialect}: ${o.nodes} nodes × ${o.peers} peers = ${allIds.length} peers, ${o.rounds} rounds (+${o.warmup} warm-up)`,
      `  A  full cycle (ingest + samples + policy + events)  median ${c.median.toFixed(1)} ms  (p25–p75 ${c.p25.toFixed(0)}–${c.p75.toFixed(0)})`,
      `  B  floor: ${allIds.length} bare prepared UPDATEs, one txn  median ${f.median.toFixed(1)} ms  (p25–p75 ${f.p25.toFixed(0)}–${f.p75.toFixed(0)})`,
      `  ratio of medians A/B: ${ratio.toFixed(2)}×  (goal ≤ ${GOALS.ratio}×: ${ratio <= GOALS.ratio ? 'within goal' : 'ABOVE goal'})`,
      `  ratio of means A/B (minute writes included): ${meanRatio.toFixed(2)}×  (A mean ${mean(cycles).toFixed(1)} ms, B mean ${mean(floors).toFixed(1)} ms)`,
      `  peak RSS (VmHWM) of this process: ${rssMB.toFixed(0)} MB  (goal ≤ ${GOALS.rssMB} MB: ${rssMB <= GOALS.rssMB ? 'within goal' : 'ABOVE goal'})`,
      `  largest V8 heap in use after a round: ${heapMB.toFixed(0)} MB${gcExposed ? ' (after a full GC: --expose-gc)' : ' (garbage included; run node with --expose-gc for live memory)'}`,
      `  minute sample rows written: ${rows.n}`,
    ].join('\n');
    function swap(x: number, y: number): [number, number] {
      return [y, x];
    }
  } finally {
    await database.close();
  }
}

async function main() {
  const o = options();
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
      reports.push(await runOn(target, o));
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
