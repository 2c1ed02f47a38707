/**
 * Agent ledger benchmark: an interface with N peers (default 10,000) and the agent's read loop
 * (every second by default) with no request at all; reports the CPU the loop costs — the agent
 * and the `wg` processes it spawns — in CPU seconds per minute of one core, wireguard-go's CPU
 * over the same time (it answers each reading), and the agent's RSS. Then, the agent stopped, the
 * floor for the same time: a bare node process reading the same UAPI socket as often and throwing
 * the answer away (node, the socket and wireguard-go's answer; no parsing, no ledger); the ratios
 * are printed. A benchmark, not a test: it asserts nothing. Needs root.
 *
 *   npm run bench:ledger -- [--peers N] [--seconds N] [--read-interval S] [--skip-build]
 *                           [--agent-node-flag=--max-semi-space-size=2 …]
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startAgent } from './lib/agent-process.js';
import { Cleanup } from './lib/cleanup.js';
import { cpuSeconds, cpuSecondsWithChildren } from './lib/proc-cpu.js';
import { readMemory } from './lib/proc-status.js';
import { OwnedProcess, run, sleep, waitFor } from './lib/proc.js';
import { createWgFixture } from './lib/wg-fixture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      peers: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '60' },
      'read-interval': { type: 'string', default: '1' },
      'skip-build': { type: 'boolean', default: false },
      'agent-node-flag': { type: 'string', multiple: true, default: [] },
    },
  });
  const peers = Number(values.peers);
  const seconds = Number(values.seconds);
  if (!(peers >= 1 && seconds >= 5)) throw new Error('--peers ≥ 1, --seconds ≥ 5');
  if (process.getuid?.() !== 0) throw new Error('needs root (network namespaces, wireguard-go)');
  if (!values['skip-build']) {
    log('building (npm run build) …');
    await run('npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
  }
  const entry = join(ROOT, 'bin', 'wgfleet.js');
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'wgfleet.js'))) throw new Error('run npm run build');

  const cleanup = new Cleanup();
  process.once('SIGINT', () => void cleanup.runAll().then(() => process.exit(130)));
  try {
    log(`building an interface with ${peers} peers …`);
    const fx = await createWgFixture(cleanup, peers);
    const agent = await startAgent(cleanup, {
      entry,
      cwd: ROOT,
      ns: fx.ns,
      iface: fx.iface,
      listen: '127.0.0.1:8787',
      nodeOptions: values['agent-node-flag'],
      extraArgs: ['--read-interval', values['read-interval']],
    });
    const pid = agent.process.pid;
    const totals = join(agent.stateDir, 'totals.json');
    await waitFor('the first saved totals', () => existsSync(totals), 60_000);
    await sleep(5_000); // past start-up work
    const [a0, w0] = [await cpuSecondsWithChildren(pid), await cpuSeconds(fx.wireguardGo.pid)];
    log(`measuring the idle agent (pid ${pid}) for ${seconds} s …`);
    await sleep(seconds * 1000);
    const [a1, w1] = [await cpuSecondsWithChildren(pid), await cpuSeconds(fx.wireguardGo.pid)];
    const mem = await readMemory(pid);
    const saved = JSON.parse(await readFile(totals, 'utf8')) as {
      interfaces: Record<string, { peers: Record<string, unknown> }>;
    };
    await agent.process.stop();

    // The floor: a bare node reading the same socket as often, throwing the answer away.
    const floor = OwnedProcess.start('floor', process.execPath, [
      join(ROOT, 'bench', 'lib', 'uapi-floor.mjs'),
      join('/var/run/wireguard', `${fx.iface}.sock`),
      String(Number(values['read-interval']) * 1000),
    ]);
    cleanup.add('stop the floor', () => floor.stop());
    await sleep(5_000);
    const [f0, v0] = [await cpuSeconds(floor.pid), await cpuSeconds(fx.wireguardGo.pid)];
    log(`measuring the floor (pid ${floor.pid}) for ${seconds} s …`);
    await sleep(seconds * 1000);
    const [f1, v1] = [await cpuSeconds(floor.pid), await cpuSeconds(fx.wireguardGo.pid)];
    const floorMem = await readMemory(floor.pid);
    if (!floor.running) throw new Error(`the floor exited: ${floor.output()}`);
    await floor.stop();

    const perMinute = (d: number) => ((d / seconds) * 60).toFixed(2);
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
    const mib = (kib: number) => (kib / 1024).toFixed(1);
    const lines = [
      `agent ledger, ${peers} peers, read every ${values['read-interval']} s, ${seconds} s measured`,
      `  peers in totals.json:        ${Object.keys(saved.interfaces[fx.iface]?.peers ?? {}).length}`,
      `  agent + its wg calls:        ${perMinute(a1 - a0)} CPU s per minute (goal ≤ 3)`,
      `  wireguard-go answering them: ${perMinute(w1 - w0)} CPU s per minute`,
      `  agent RSS:                   ${mib(mem.rssKiB)} MiB (peak ${mib(mem.hwmKiB)} MiB; goal ≤ 100)`,
      `  floor (bare node reading the UAPI socket as often, answer discarded):`,
      `    CPU ${perMinute(f1 - f0)} s per minute (wireguard-go ${perMinute(v1 - v0)}), RSS ${mib(floorMem.rssKiB)} MiB`,
      `  agent / floor: CPU ${ratio(a1 - a0, f1 - f0)}, RSS ${ratio(mem.rssKiB, floorMem.rssKiB)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanup.runAll();
  }
}

process.exitCode = await main().then(
  () => 0,
  (e: unknown) => {
    log(`bench:ledger: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  },
);
