import { execFile } from 'node:child_process';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Dump } from '../../src/shared/wire/agent-api.js';
import { PinnedAgent } from './pinned-agent.js';
import { readMemory, type MemoryUsage } from './proc-status.js';
import { sleep } from './proc.js';

/** What the measuring process (inside the namespace) is told, as JSON on its stdin. */
export interface MeasureConfig {
  readonly baseUrl: string;
  readonly token: string;
  readonly fingerprint: string;
  readonly iface: string;
  readonly agentPid: number;
  readonly peers: number;
  readonly rounds: number;
  readonly warmup: number;
}

/** Raw samples and side facts, as JSON on the measuring process's stdout. */
export interface MeasureResult {
  /** `GET /v1/wg/IF/dump`: request sent → body read and `JSON.parse`d (ms). */
  readonly apiMs: readonly number[];
  /** The same requests: request sent → last body byte (ms). */
  readonly apiTransferMs: readonly number[];
  /** `execFile('wg', ['show', IF, 'dump'])`: spawn → exit with all of stdout (ms). */
  readonly wgMs: readonly number[];
  readonly apiBytes: number;
  readonly wgBytes: number;
  readonly metrics: { readonly ms: number; readonly bytes: number; readonly peerSeries: number };
  readonly memory: {
    /** Once the agent answers its health check, before any dump. */
    readonly atStart: MemoryUsage;
    readonly afterDumps: MemoryUsage;
    readonly afterMetrics: MemoryUsage;
  };
}

interface Fetched {
  readonly status: number;
  readonly body: Buffer;
  readonly transferMs: number;
}

function get(agent: PinnedAgent, url: string, token: string | null): Promise<Fetched> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers = token === null ? {} : { authorization: `Bearer ${token}` };
    const req = https.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          transferMs: performance.now() - t0,
        }),
      );
    });
    req.on('error', reject);
  });
}

function wgDump(iface: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'wg',
      ['show', iface, 'dump'],
      { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) =>
        err ? reject(new Error(`wg show dump: ${stderr}`)) : resolve(stdout),
    );
  });
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function waitForHealth(agent: PinnedAgent, baseUrl: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await get(agent, `${baseUrl}/v1/health`, null)).status === 200) return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error('agent not healthy after 30 s');
    await sleep(100);
  }
}

/**
 * Times the agent's dump against `wg show IF dump` from this one process, interleaved: each round
 * does both, alternating which goes first (A B, B A, …) so neither always runs on a warmer cache.
 * The first `warmup` rounds are not recorded. Every result is checked to hold `peers` peers.
 */
export async function measure(c: MeasureConfig): Promise<MeasureResult> {
  const agent = new PinnedAgent(c.fingerprint);
  await waitForHealth(agent, c.baseUrl);
  const atStart = await readMemory(c.agentPid);
  const dumpUrl = `${c.baseUrl}/v1/wg/${encodeURIComponent(c.iface)}/dump`;
  const apiMs: number[] = [];
  const apiTransferMs: number[] = [];
  const wgMs: number[] = [];
  let apiBytes = 0;
  let wgBytes = 0;

  const viaApi = async (record: boolean) => {
    const t0 = performance.now();
    const res = await get(agent, dumpUrl, c.token);
    if (res.status !== 200) throw new Error(`GET dump: ${res.status} ${res.body.toString()}`);
    const dump = JSON.parse(res.body.toString('utf8')) as Dump;
    const ms = performance.now() - t0;
    if (dump.peers.length !== c.peers)
      throw new Error(`GET dump returned ${dump.peers.length} peers, expected ${c.peers}`);
    apiBytes = res.body.length;
    if (record) {
      apiMs.push(ms);
      apiTransferMs.push(res.transferMs);
    }
  };
  const viaWg = async (record: boolean) => {
    const t0 = performance.now();
    const text = await wgDump(c.iface);
    const ms = performance.now() - t0;
    if (countLines(text) !== c.peers + 1)
      throw new Error(`wg dump printed ${countLines(text) - 1} peers, expected ${c.peers}`);
    wgBytes = Buffer.byteLength(text);
    if (record) wgMs.push(ms);
  };

  for (let round = 0; round < c.warmup + c.rounds; round++) {
    const record = round >= c.warmup;
    if (round % 2 === 0) await viaApi(record).then(() => viaWg(record));
    else await viaWg(record).then(() => viaApi(record));
    if (record && (round - c.warmup + 1) % 10 === 0)
      process.stderr.write(`  ${round - c.warmup + 1}/${c.rounds} rounds\n`);
  }
  const afterDumps = await readMemory(c.agentPid);

  const t0 = performance.now();
  const m = await get(agent, `${c.baseUrl}/v1/metrics`, c.token);
  const metricsMs = performance.now() - t0;
  if (m.status !== 200) throw new Error(`GET metrics: ${m.status} ${m.body.toString()}`);
  const peerSeries = m.body
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('wireguard_sent_bytes_total{')).length;
  const afterMetrics = await readMemory(c.agentPid);
  agent.destroy();

  return {
    apiMs,
    apiTransferMs,
    wgMs,
    apiBytes,
    wgBytes,
    metrics: { ms: metricsMs, bytes: m.body.length, peerSeries },
    memory: { atStart, afterDumps, afterMetrics },
  };
}
