/**
 * Agent ledger benchmark: an interface with N peers (default 10,000) and the agent's read loop
 * (every second by default) with no request at all; reports the CPU the loop costs — the agent
 * and the `wg` processes it spawns — in CPU seconds per minute of one core, wireguard-go's CPU
 * over the same time (it answers each reading), and the agent's RSS. A benchmark, not a test:
 * it asserts nothing. Needs root.
 *
 *   npm run bench:ledger -- [--peers N] [--seconds N] [--read-interval S] [--skip-build]
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
import { run, sleep, waitFor } from './lib/proc.js';
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
      nodeOptions: [],
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
    const perMinute = (d: number) => ((d / seconds) * 60).toFixed(2);
    const lines = [
      `agent ledger, ${peers} peers, read every ${values['read-interval']} s, ${seconds} s measured`,
      `  peers in totals.json:        ${Object.keys(saved.interfaces[fx.iface]?.peers ?? {}).length}`,
      `  agent + its wg calls:        ${perMinute(a1 - a0)} CPU s per minute (goal ≤ 3)`,
      `  wireguard-go answering them: ${perMinute(w1 - w0)} CPU s per minute`,
      `  agent RSS:                   ${(mem.rssKiB / 1024).toFixed(1)} MiB (peak ${(mem.hwmKiB / 1024).toFixed(1)} MiB; goal ≤ 100)`,
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
