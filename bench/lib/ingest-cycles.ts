/**
 * The measured side of the ingest benchmark, a child process of bench/ingest.ts: compiled by tsc
 * and run by plain node, as `wgfleet` runs, so its RSS is the panel's usage area at work and not
 * the benchmark's (no TypeScript loader, no fixture creation, no floor). It opens the database the
 * parent filled, builds the usage area and runs one cycle (every configuration's dump through the
 * ingest) per request, answering with the time and its memory. Messages: see CyclesRequest and
 * CyclesAnswer.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { AgentAnswers } from '../../src/panel/adapters/agent-client/agent-answers.js';
import { createAgentClients } from '../../src/panel/adapters/agent-client/agent-clients.js';
import { openDatabase } from '../../src/panel/adapters/db/index.js';
import { createUsageArea } from '../../src/panel/areas/usage-area.js';
import { resolvePanelConfig } from '../../src/panel/config.js';
import type { PanelContext } from '../../src/panel/context.js';
import { syntheticDump, type DumpSource } from './ingest-fixture.js';
import { readMemory } from './proc-status.js';

/** WGFLEET_BENCH_TOTALS=1: dumps as from agents with totals (the panel counts by them). */
const TOTALS = process.env.WGFLEET_BENCH_TOTALS === '1';

/** What the parent asks. */
export type CyclesRequest =
  | { readonly type: 'start'; readonly url: string; readonly configurations: DumpSource[] }
  | { readonly type: 'cycle'; readonly round: number }
  | { readonly type: 'finish' };

/** This process's memory: kernel RSS and peak (KiB), V8 heap in use (bytes, garbage included). */
export interface CyclesMemory {
  readonly rssKiB: number;
  readonly hwmKiB: number;
  readonly heapUsed: number;
}

/** What it answers, one answer per request. */
export type CyclesAnswer =
  | ({ readonly type: 'ready' } & CyclesMemory)
  | ({
      readonly type: 'cycle';
      readonly ms: number;
      /** Of which checking every dump against the agent API's schema (as the agent client does). */
      readonly checkMs: number;
    } & CyclesMemory)
  | ({
      readonly type: 'finished';
      readonly sampleRows: number;
      /** Heap in use after one full GC once the last cycle was measured (the live set). */
      readonly liveHeap: number | null;
    } & CyclesMemory)
  | { readonly type: 'error'; readonly message: string };

async function memory(): Promise<CyclesMemory> {
  const m = await readMemory(process.pid);
  return { rssKiB: m.rssKiB, hwmKiB: m.hwmKiB, heapUsed: process.memoryUsage().heapUsed };
}

function send(answer: CyclesAnswer): void {
  process.send?.(answer);
}

async function start(url: string, configurations: readonly DumpSource[]) {
  const database = openDatabase(url);
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
      databaseUrl: url,
    },
    database,
    logger: pino({ level: 'silent' }),
    now: () => clock,
    agents: createAgentClients(5_000),
    metrics: new Registry(),
  };
  const area = createUsageArea(ctx, { converge: async () => ({ applied: true }) });
  return {
    /**
     * One poll interval later, every configuration's dump checked against its schema (as the
     * agent client checks each answer) and through the ingest (ms, both; and the check's share).
     */
    async cycle(round: number): Promise<{ ms: number; checkMs: number }> {
      // Minute samples are written once per minute, on the first poll of the next minute (about
      // one cycle in six at 10 s), so medians and means both matter.
      clock = new Date(clock.getTime() + ctx.config.pollIntervalMs);
      let ms = 0;
      let checkMs = 0;
      for (const c of configurations) {
        // Each dump as the poller hands it over (a parsed agent answer): built outside the timing.
        const d = syntheticDump(c, round, clock, TOTALS);
        const t0 = performance.now();
        AgentAnswers.dump('GET /v1/wg/bench/dump', d.dump);
        const t1 = performance.now();
        await area.ingest.onDump(d);
        checkMs += t1 - t0;
        ms += performance.now() - t0;
      }
      return { ms, checkMs };
    },
    async finish(): Promise<number> {
      await area.flushSamples();
      const rows = await database.db
        .selectFrom('peer_usage_minute')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow();
      await database.close();
      return Number(rows.n);
    },
  };
}

let session: Awaited<ReturnType<typeof start>> | undefined;

process.on('message', (request: CyclesRequest) => {
  void (async () => {
    try {
      if (request.type === 'start') {
        session = await start(request.url, request.configurations);
        send({ type: 'ready', ...(await memory()) });
      } else if (!session) throw new Error('not started');
      else if (request.type === 'cycle') {
        const { ms, checkMs } = await session.cycle(request.round);
        send({ type: 'cycle', ms, checkMs, ...(await memory()) });
      } else {
        const measured = await memory();
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        const liveHeap = gc ? process.memoryUsage().heapUsed : null;
        const sampleRows = await session.finish();
        send({ type: 'finished', sampleRows, liveHeap, ...measured });
        process.disconnect();
      }
    } catch (err) {
      send({
        type: 'error',
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      process.exitCode = 1;
      process.disconnect();
    }
  })();
});
