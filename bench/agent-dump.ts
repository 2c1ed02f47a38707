/**
 * Agent dump benchmark: an interface with N peers (default 10,000); times `GET /v1/wg/IF/dump`
 * as JSON and in the compact form the panel asks for (`Accept: …dump+tsv`, checked line by line
 * as the panel does), each on a keep-alive connection and on a new TLS connection per request,
 * against two floors:
 * `wg show IF dump` alone, and a minimal HTTPS server piping it (lib/wg-pipe-server.ts, keep-alive
 * and new connection), interleaved; prints the ratios of medians and the agent's memory. A benchmark, not a test: it asserts nothing about time. Needs root.
 *
 *   npm run bench:agent -- [--peers N] [--rounds N] [--warmup N] [--skip-build] [--cpu-prof DIR]
 *
 * The outer process builds (`npm run build`), makes a network namespace with a wireguard-go
 * interface and starts the compiled agent in it; then it runs itself again inside the namespace
 * (`--inner`, settings on stdin) to measure, since the agent listens on the namespace's loopback.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startAgent } from './lib/agent-process.js';
import { Cleanup } from './lib/cleanup.js';
import { measure, type MeasureConfig, type MeasureResult } from './lib/measure.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './lib/options.js';
import { run, type OwnedProcess } from './lib/proc.js';
import { formatReport } from './lib/report.js';
import { createWgFixture } from './lib/wg-fixture.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SELF), '..');
const ENTRY = join(ROOT, 'bin', 'wgfleet.js');
const LISTEN = '127.0.0.1:8787'; // a fresh namespace: nothing else listens there

const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** The measuring side, inside the namespace: settings on stdin, raw samples as JSON on stdout. */
async function inner(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MeasureConfig;
  process.stdout.write(`${JSON.stringify(await measure(config))}\n`);
}

/** Runs `inner` in namespace `ns` and resolves with its result; rejects if the agent dies first. */
function runInner(cleanup: Cleanup, ns: string, config: MeasureConfig, agent: OwnedProcess) {
  return new Promise<MeasureResult>((resolvePromise, reject) => {
    let settled = false;
    const child = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, ...process.execArgv, SELF, '--inner'],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], shell: false },
    );
    cleanup.add('stop the measuring process', async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stdin.end(JSON.stringify(config)); // the token goes through stdin, never argv
    child.on('error', reject);
    child.on('close', (code) => {
      settled = true;
      if (code !== 0) return reject(new Error(`the measuring process exited with ${code}`));
      resolvePromise(JSON.parse(Buffer.concat(out).toString('utf8')) as MeasureResult);
    });
    void agent.exited.then(() => {
      if (settled) return;
      child.kill('SIGTERM');
      reject(new Error(`the agent exited during the benchmark:\n${agent.output()}`));
    });
  });
}

/** Builds, sets up namespace, interface and agent, measures, prints the report, cleans up. */
async function outer(o: BenchOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespaces, wireguard-go)');
  if (o.build) {
    log('building (npm run build) …');
    await run('npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
  }
  const bundle = join(ROOT, 'dist', 'bundle', 'wgfleet.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);

  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up …`);
    void cleanup.runAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const t0 = performance.now();
    log(`building an interface with ${o.peers} peers …`);
    const fx = await createWgFixture(cleanup, o.peers);
    const agent = await startAgent(cleanup, {
      entry: ENTRY,
      cwd: ROOT,
      ns: fx.ns,
      iface: fx.iface,
      listen: LISTEN,
      cpuProfDir: o.cpuProfDir,
      nodeOptions: o.agentNodeOptions,
    });
    const setupSeconds = (performance.now() - t0) / 1000;
    log(`measuring in ${fx.ns} (agent pid ${agent.process.pid}) …`);
    const config: MeasureConfig = {
      baseUrl: `https://${LISTEN}`,
      token: agent.join.token,
      fingerprint: agent.join.fingerprint,
      iface: fx.iface,
      agentPid: agent.process.pid,
      peers: o.peers,
      rounds: o.rounds,
      warmup: o.warmup,
    };
    const result = await runInner(cleanup, fx.ns, config, agent.process);
    const context = { ...o, iface: fx.iface, setupSeconds };
    process.stdout.write(`${formatReport(context, result)}\n`);
  } finally {
    await cleanup.runAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (o.cpuProfDir) log(`agent CPU profile written to ${o.cpuProfDir}`);
}

async function main(): Promise<number> {
  const o = parseBenchOptions(process.argv.slice(2));
  if (o.help) process.stdout.write(`${USAGE}\n`);
  else if (o.inner) await inner();
  else await outer(o);
  return 0;
}

process.exitCode = await main().catch((e: unknown) => {
  log(`bench:agent: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
});
