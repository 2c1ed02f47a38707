/**
 * Subscribers benchmark (issue 11), two ratios, each against a floor measured in the same run:
 *
 *   A. getSubscribers at 10,000 subscribers × 2 peers (one on each of two nodes): the page the
 *      route answers (store.list: the page, its count, each subscriber's usage summed over its
 *      peers, peer counts; mapped to the wire JSON) against the bare query of the same page
 *      (subscribers rows by name, and the count). Goal ≤ 3×.
 *   B. The ingest cycle at 100,000 peers (20 nodes × 5,000) in 50,000 subscribers (one peer on
 *      each of two nodes) against the same cycle without subscribers, two databases filled
 *      alike, two measured processes (compiled, plain node, as bench:ingest), rounds
 *      interleaved. Goal ≤ 1.2×.
 *
 *   npm run bench:subscribers -- [--rounds 7] [--list-rounds 200] [--nodes 20] [--peers 5000]
 *                                [--only list|ingest]
 *
 * Asserts nothing about time; prints medians, quartiles and the ratios.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/panel/adapters/db/index.js';
import { createSubscriberStore } from '../src/panel/adapters/db/repos/subscribers-store.js';
import { toSubscriberJson } from '../src/panel/http/subscriber-json.js';
import { createIngestFixture } from './lib/ingest-fixture.js';
import { compileCycles, CyclesProcess } from './lib/ingest-runner.js';
import { sqliteTarget } from './lib/ingest-target.js';
import { summarize } from './lib/stats.js';
import { addSubscribers } from './lib/subscriber-fixture.js';

const GOALS = { list: 3, ingest: 1.2 } as const;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      'list-rounds': { type: 'string', default: '200' },
      nodes: { type: 'string', default: '20' },
      peers: { type: 'string', default: '5000' },
      only: { type: 'string' },
    },
  });
  const int = (v: string, name: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      throw new Error(`--${name}: a positive integer`);
    return n;
  };
  return {
    rounds: int(values.rounds, 'rounds'),
    listRounds: int(values['list-rounds'], 'list-rounds'),
    nodes: int(values.nodes, 'nodes'),
    peers: int(values.peers, 'peers'),
    only: values.only as 'list' | 'ingest' | undefined,
  };
}

const fmt = (s: ReturnType<typeof summarize>) =>
  `median ${s.median.toFixed(2)} ms (p25–p75 ${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;

async function listBench(rounds: number): Promise<string> {
  const target = await sqliteTarget();
  const handle = openDatabase(target.url);
  try {
    await migrateToLatest(handle);
    log('A: 2 nodes × 10,000 peers, 10,000 subscribers …');
    const fixture = await createIngestFixture(handle, 2, 10_000);
    await addSubscribers(handle, fixture, 2);
    // Some usage, so the sums are not all zero.
    await handle.db
      .updateTable('peers')
      .set({ lifetime_rx: sql<bigint>`id * 1000`, lifetime_tx: sql<bigint>`id * 3000` })
      .execute();
    const store = createSubscriberStore(handle);
    const pageSize = 50;
    const pages = 10_000 / pageSize;
    const product = async (page: number) => {
      const t0 = performance.now();
      const r = await store.list({
        createdBy: null,
        search: null,
        status: null,
        sort: 'name',
        order: 'asc',
        limit: pageSize,
        offset: page * pageSize,
      });
      const now = new Date();
      r.rows.map((s) => toSubscriberJson(s, now, 'UTC'));
      return performance.now() - t0;
    };
    const bare = async (page: number) => {
      const t0 = performance.now();
      await handle.db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      await handle.db
        .selectFrom('subscribers')
        .selectAll()
        .orderBy('name_sort_key')
        .orderBy('id')
        .limit(pageSize)
        .offset(page * pageSize)
        .execute();
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await Promise.all([product(i), bare(i)]); // warm-up
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const page = (i * 37) % pages;
      if (i % 2 === 0) {
        a.push(await product(page));
        b.push(await bare(page));
      } else {
        b.push(await bare(page));
        a.push(await product(page));
      }
    }
    const sa = summarize(a);
    const sb = summarize(b);
    const ratio = sa.median / sb.median;
    return [
      `A  getSubscribers, 10,000 subscribers × 2 peers, page of ${pageSize} by name, ${rounds} rounds (sqlite)`,
      `   product: store.list + JSON  ${fmt(sa)}`,
      `   floor: bare page + count    ${fmt(sb)}`,
      `   ratio of medians: ${ratio.toFixed(2)}×  (goal ≤ ${GOALS.list}×: ${ratio <= GOALS.list ? 'within goal' : 'ABOVE goal'})`,
    ].join('\n');
  } finally {
    await handle.close();
    await target.drop();
  }
}

async function ingestBench(o: ReturnType<typeof options>, entry: string): Promise<string> {
  const targets = [await sqliteTarget(), await sqliteTarget()];
  const processes: CyclesProcess[] = [];
  try {
    const sources = [];
    for (const [i, target] of targets.entries()) {
      const handle = openDatabase(target.url);
      try {
        await migrateToLatest(handle);
        log(
          `B: ${o.nodes} × ${o.peers} peers${i === 0 ? `, in ${(o.nodes * o.peers) / 2} subscribers` : ', no subscribers'} …`,
        );
        const fixture = await createIngestFixture(handle, o.nodes, o.peers);
        if (i === 0) await addSubscribers(handle, fixture, 2);
        sources.push(
          fixture.map(({ nodeId, configurationId, keys }) => ({ nodeId, configurationId, keys })),
        );
      } finally {
        await handle.close();
      }
    }
    for (const [i, target] of targets.entries())
      processes.push((await CyclesProcess.start(entry, target.url, sources[i]!)).process);
    const [withSubs, without] = processes as [CyclesProcess, CyclesProcess];
    await withSubs.cycle(0);
    await without.cycle(0);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 1; r <= o.rounds + 1; r++) {
      const order = r % 2 === 0 ? [withSubs, without] : [without, withSubs];
      const times = new Map<CyclesProcess, number>();
      for (const p of order) times.set(p, (await p.cycle(r)).ms);
      log(
        `  round ${r}${r === 1 ? ' (warm-up)' : ''}: with ${times.get(withSubs)!.toFixed(0)} ms, without ${times.get(without)!.toFixed(0)} ms`,
      );
      if (r === 1) continue;
      a.push(times.get(withSubs)!);
      b.push(times.get(without)!);
    }
    await withSubs.finish();
    await without.finish();
    const sa = summarize(a);
    const sb = summarize(b);
    const ratio = sa.median / sb.median;
    return [
      `B  ingest cycle, ${o.nodes} nodes × ${o.peers} peers, ${o.rounds} rounds (sqlite)`,
      `   in ${(o.nodes * o.peers) / 2} subscribers (2 nodes each)  ${fmt(sa)}`,
      `   floor: the same without subscribers  ${fmt(sb)}`,
      `   ratio of medians: ${ratio.toFixed(2)}×  (goal ≤ ${GOALS.ingest}×: ${ratio <= GOALS.ingest ? 'within goal' : 'ABOVE goal'})`,
    ].join('\n');
  } finally {
    for (const p of processes) p.kill();
    for (const t of targets) await t.drop();
  }
}

async function main() {
  const o = options();
  const out: string[] = [];
  if (o.only !== 'ingest') out.push(await listBench(o.listRounds));
  if (o.only !== 'list') {
    log('compiling the measured side (tsc) …');
    out.push(await ingestBench(o, await compileCycles()));
  }
  process.stdout.write(
    `wgfleet subscribers benchmark, node ${process.version}\n${out.join('\n')}\n`,
  );
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
