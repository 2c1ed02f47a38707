import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCredentials } from '../../src/agent/credentials/create-credentials.js';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Dump } from '../../src/shared/wire/agent-api.js';
import { AgentAnswers } from '../../src/panel/adapters/agent-client/agent-answers.js';
import { DUMP_ACCEPT } from '../../src/panel/adapters/agent-client/agent-client.js';
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
  /** The same request on a new TLS connection each time (full handshake, no session reuse). */
  readonly apiNewConnectionMs: readonly number[];
  /** The compact dump the panel asks for (`Accept: …dump+tsv`), keep-alive, to last byte (ms). */
  readonly tsvMs: readonly number[];
  /** The compact dump on a new TLS connection each time. */
  readonly tsvNewConnectionMs: readonly number[];
  /** `execFile('wg', ['show', IF, 'dump'])`: spawn → exit with all of stdout (ms). */
  readonly wgMs: readonly number[];
  /** A minimal HTTPS server piping `wg show IF dump` (wg-pipe-server.ts), to last byte (ms). */
  readonly pipeMs: readonly number[];
  /** The same on a new TLS connection each time. */
  readonly pipeNewConnectionMs: readonly number[];
  readonly apiBytes: number;
  readonly tsvBytes: number;
  readonly wgBytes: number;
  readonly pipeBytes: number;
  readonly metrics: { readonly ms: number; readonly bytes: number; readonly peerSeries: number };
  readonly memory: {
    /** Once the agent answers its health check, before any dump. */
    readonly atStart: MemoryUsage;
    readonly afterDumps: MemoryUsage;
    /** VmRSS after each recorded round (KiB): "after dumps" is one point of a saw-tooth. */
    readonly roundRssKiB: readonly number[];
    readonly afterMetrics: MemoryUsage;
  };
}

interface Fetched {
  readonly status: number;
  readonly body: Buffer;
  readonly transferMs: number;
}

function get(
  agent: PinnedAgent,
  url: string,
  token: string | null,
  accept?: string,
): Promise<Fetched> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> =
      token === null ? {} : { authorization: `Bearer ${token}` };
    if (accept !== undefined) headers.accept = accept;
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

const PIPE_SERVER = fileURLToPath(new URL('./wg-pipe-server.ts', import.meta.url));
const PIPE_PORT = 8788; // the namespace is fresh: only the agent (8787) listens there

/** Starts the minimal HTTPS pipe (its own process, like the agent); resolves with its pin. */
async function startPipeServer(iface: string) {
  const { keyPem, certPem, fingerprint } = await createCredentials(['127.0.0.1']);
  const child = spawn(process.execPath, [...process.execArgv, PIPE_SERVER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    shell: false,
  });
  child.stdin.end(JSON.stringify({ port: PIPE_PORT, iface, keyPem, certPem }));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the pipe server exited with ${code}`)));
    child.stdout.once('data', () => resolve());
  });
  return { url: `https://127.0.0.1:${PIPE_PORT}/`, fingerprint, stop: () => child.kill('SIGTERM') };
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
 * Times the agent's dump (keep-alive, and a new TLS connection per request) against two floors:
 * `wg show IF dump` alone, and a minimal HTTPS server piping it (keep-alive and new connection).
 * Each round does every step, the order rotated so none always runs on a warmer cache.
 * The first `warmup` rounds are not recorded. Every result is checked to hold `peers` peers.
 */
export async function measure(c: MeasureConfig): Promise<MeasureResult> {
  const agent = new PinnedAgent(c.fingerprint);
  await waitForHealth(agent, c.baseUrl);
  const atStart = await readMemory(c.agentPid);
  const dumpUrl = `${c.baseUrl}/v1/wg/${encodeURIComponent(c.iface)}/dump`;
  const apiMs: number[] = [];
  const apiTransferMs: number[] = [];
  const apiNewConnectionMs: number[] = [];
  const tsvMs: number[] = [];
  const tsvNewConnectionMs: number[] = [];
  const wgMs: number[] = [];
  const pipeMs: number[] = [];
  const pipeNewConnectionMs: number[] = [];
  let apiBytes = 0;
  let tsvBytes = 0;
  let wgBytes = 0;
  let pipeBytes = 0;
  const pipe = await startPipeServer(c.iface);
  const pipeAgent = new PinnedAgent(pipe.fingerprint);
  const roundRssKiB: number[] = [];

  const checkDump = (res: Fetched) => {
    if (res.status !== 200) throw new Error(`GET dump: ${res.status} ${res.body.toString()}`);
    const dump = JSON.parse(res.body.toString('utf8')) as Dump;
    if (dump.peers.length !== c.peers)
      throw new Error(`GET dump returned ${dump.peers.length} peers, expected ${c.peers}`);
    apiBytes = res.body.length;
  };
  // The panel's own check (every line and field), as its poll does with the answer.
  const checkTsv = (res: Fetched) => {
    if (res.status !== 200) throw new Error(`GET dump (tsv): ${res.status} ${res.body.toString()}`);
    const dump = AgentAnswers.dumpTsv('GET dump', res.body.toString('utf8'));
    if (dump.peers.length !== c.peers)
      throw new Error(`GET dump (tsv) returned ${dump.peers.length} peers, expected ${c.peers}`);
    tsvBytes = res.body.length;
  };
  const checkPipe = (res: Fetched) => {
    const text = res.body.toString('utf8');
    if (res.status !== 200 || countLines(text) !== c.peers + 1)
      throw new Error(`the pipe answered ${res.status} with ${countLines(text) - 1} peers`);
    pipeBytes = res.body.length;
  };
  /** One request on a fresh connection (its agent destroyed after). */
  const fresh = async (fingerprint: string, url: string, token: string | null, accept?: string) => {
    const once = new PinnedAgent(fingerprint, { keepAlive: false });
    try {
      return await get(once, url, token, accept);
    } finally {
      once.destroy();
    }
  };
  const steps: ((record: boolean) => Promise<void>)[] = [
    async (record) => {
      const t0 = performance.now();
      const res = await get(agent, dumpUrl, c.token);
      checkDump(res);
      const ms = performance.now() - t0;
      if (record) {
        apiMs.push(ms);
        apiTransferMs.push(res.transferMs);
      }
    },
    async (record) => {
      const res = await fresh(c.fingerprint, dumpUrl, c.token);
      checkDump(res);
      if (record) apiNewConnectionMs.push(res.transferMs);
    },
    async (record) => {
      const res = await get(agent, dumpUrl, c.token, DUMP_ACCEPT);
      checkTsv(res);
      if (record) tsvMs.push(res.transferMs);
    },
    async (record) => {
      const res = await fresh(c.fingerprint, dumpUrl, c.token, DUMP_ACCEPT);
      checkTsv(res);
      if (record) tsvNewConnectionMs.push(res.transferMs);
    },
    async (record) => {
      const t0 = performance.now();
      const text = await wgDump(c.iface);
      const ms = performance.now() - t0;
      if (countLines(text) !== c.peers + 1)
        throw new Error(`wg dump printed ${countLines(text) - 1} peers, expected ${c.peers}`);
      wgBytes = Buffer.byteLength(text);
      if (record) wgMs.push(ms);
    },
    async (record) => {
      const res = await get(pipeAgent, pipe.url, null);
      checkPipe(res);
      if (record) pipeMs.push(res.transferMs);
    },
    async (record) => {
      const res = await fresh(pipe.fingerprint, pipe.url, null);
      checkPipe(res);
      if (record) pipeNewConnectionMs.push(res.transferMs);
    },
  ];

  try {
    for (let round = 0; round < c.warmup + c.rounds; round++) {
      const record = round >= c.warmup;
      // Rotate the order so no step always runs first or right after the same other one.
      const shift = round % steps.length;
      for (const step of [...steps.slice(shift), ...steps.slice(0, shift)]) await step(record);
      if (record) roundRssKiB.push((await readMemory(c.agentPid)).rssKiB);
      if (record && (round - c.warmup + 1) % 10 === 0)
        process.stderr.write(`  ${round - c.warmup + 1}/${c.rounds} rounds\n`);
    }
  } finally {
    pipeAgent.destroy();
    pipe.stop();
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
    apiNewConnectionMs,
    tsvMs,
    tsvNewConnectionMs,
    wgMs,
    pipeMs,
    pipeNewConnectionMs,
    apiBytes,
    tsvBytes,
    wgBytes,
    pipeBytes,
    metrics: { ms: metricsMs, bytes: m.body.length, peerSeries },
    memory: { atStart, afterDumps, roundRssKiB, afterMetrics },
  };
}
