/**
 * Speed-limit benchmark (issue 15): the agent's Shaper applying limits to 1,000 and 10,000 peers
 * of one interface (one rebuild: a single `tc -batch`), and the per-packet cost of the shaping —
 * a bounded TCP transfer through a veth pair with 1,000 limited peers (the flow's own peer among
 * them, limited far above what the pair carries) against the same pair unshaped, interleaved in
 * the same run. A benchmark, not a test: it prints figures and asserts nothing. Needs root.
 *
 *   npm run bench:tc -- [--peers 1000,10000] [--rounds 3]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createProcessRunner, type ProcessRunner } from '../src/agent/sys/process-runner.js';
import { Shaper } from '../src/agent/tc/shaper.js';
import { createTcCli } from '../src/agent/tc/tc-cli.js';
import { LabResources } from '../test/lab/resources.js';
import { measureTcp } from '../test/lab/throughput.js';

const run = promisify(execFile);
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const COUNTS = arg('peers', '1000,10000').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '3'));
const tag = `tcb${process.pid % 100000}`;
const [NS_A, NS_B] = [`${tag}a`, `${tag}b`];
const [IF_A, IF_B] = [`${tag}x`, `${tag}y`];
const [IP_A, IP_B] = ['10.251.0.1', '10.251.0.2'];

const sh = (args: string[]) => run('ip', args);
const inA = (bin: string, args: string[]) => run('ip', ['netns', 'exec', NS_A, bin, ...args]);

/** The agent's own process runner, each call run inside namespace A. */
function runnerIn(ns: string): ProcessRunner {
  const real = createProcessRunner();
  return {
    run: (file, args, o) => real.run('ip', ['netns', 'exec', ns, file, ...args], o),
    stream: (file, args, o) => real.stream('ip', ['netns', 'exec', ns, file, ...args], o),
  };
}

/** Peer i's address: 10.(200 + i / 65536).(i / 256 % 256).(i % 256)/32; the flow's peer is IP_B. */
const peerIp = (i: number) =>
  `10.${200 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}/32`;

async function setup(): Promise<string> {
  await sh(['netns', 'add', NS_A]);
  await sh(['netns', 'add', NS_B]);
  await sh([
    'link',
    'add',
    IF_A,
    'netns',
    NS_A,
    'type',
    'veth',
    'peer',
    'name',
    IF_B,
    'netns',
    NS_B,
  ]);
  for (const [ns, dev, ip] of [
    [NS_A, IF_A, IP_A],
    [NS_B, IF_B, IP_B],
  ] as const) {
    await sh(['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', dev]);
    await sh(['-n', ns, 'link', 'set', dev, 'up']);
    await sh(['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  const { stdout } = await inA('cat', [`/sys/class/net/${IF_A}/ifindex`]);
  return stdout.trim();
}

async function teardown(): Promise<void> {
  for (const ns of [NS_A, NS_B]) await sh(['netns', 'del', ns]).catch(() => undefined);
}

const silent = { warn: () => undefined, info: () => undefined };

/** A Shaper with `n` limited peers on IF_A, applied in one rebuild; answers the seconds it took. */
async function shape(
  n: number,
  instance: string,
): Promise<{ shaper: Shaper; dir: string; s: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-tc-'));
  const shaper = await Shaper.load({
    stateDir: dir,
    tc: createTcCli(runnerIn(NS_A), { tc: 'tc', ip: 'ip' }),
    now: () => Date.now(),
    log: silent,
  });
  // Desired state first (instance null: not applied), then the kernel in one batch.
  for (let i = 0; i < n - 1; i++)
    await shaper.setPeer(
      IF_A,
      `peer${i}`,
      [peerIp(i)],
      { downloadBps: 10_000_000, uploadBps: 5_000_000 },
      null,
    );
  await shaper.setPeer(
    IF_A,
    'flow',
    [`${IP_B}/32`],
    { downloadBps: 50_000_000_000, uploadBps: 50_000_000_000 },
    null,
  );
  const t0 = performance.now();
  await shaper.sync(IF_A, instance);
  return { shaper, dir, s: (performance.now() - t0) / 1000 };
}

async function unshape(shaper: Shaper, dir: string): Promise<void> {
  await shaper.sync(IF_A, null);
  await inA('tc', ['qdisc', 'del', 'dev', IF_A, 'root']).catch(() => undefined);
  await inA('tc', ['qdisc', 'del', 'dev', IF_A, 'ingress']).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

const res = new LabResources(tag);
/** One bounded transfer A → B (3 s or 2 GiB); bits per second after the warm-up. */
const transfer = async () =>
  (
    await measureTcp(res, {
      sinkNs: NS_B,
      sinkIp: IP_B,
      srcNs: NS_A,
      maxMs: 3000,
      maxBytes: 2 ** 31,
    })
  ).rateBps;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const instance = await setup();
  try {
    for (const n of COUNTS) {
      const { shaper, dir, s } = await shape(n, instance);
      const { stdout } = await inA('tc', ['class', 'show', 'dev', IF_A]);
      const classes = stdout.split('\n').filter((l) => l.startsWith('class htb'));
      const groups = classes.filter((l) => l.startsWith('class htb 1:')).length;
      console.log(
        `apply ${n} limited peers (one rebuild): ${s.toFixed(2)} s, ${classes.length - groups} peer classes in ${groups} groups on the interface`,
      );
      await unshape(shaper, dir);
    }
    // Per-packet cost at 1,000 limited peers against the unlimited interface, interleaved.
    const plain: number[] = [];
    const shaped: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      plain.push(await transfer());
      const { shaper, dir } = await shape(1000, instance);
      shaped.push(await transfer());
      await unshape(shaper, dir);
    }
    const [p, q] = [median(plain), median(shaped)];
    // TCP segments of up to 1448 payload bytes: time per packet from the goodput.
    const perPacket = (bps: number) => (1448 * 8) / bps;
    console.log(
      `unlimited interface: ${(p / 1e9).toFixed(2)} Gbit/s (median of ${ROUNDS}: ${plain.map((x) => (x / 1e9).toFixed(2)).join(', ')})`,
    );
    console.log(
      `1,000 limited peers: ${(q / 1e9).toFixed(2)} Gbit/s (median of ${ROUNDS}: ${shaped.map((x) => (x / 1e9).toFixed(2)).join(', ')})`,
    );
    console.log(
      `per packet: ${(perPacket(p) * 1e6).toFixed(2)} µs unlimited, ${(perPacket(q) * 1e6).toFixed(2)} µs shaped: +${((perPacket(q) - perPacket(p)) * 1e9).toFixed(0)} ns (${((q / p) * 100).toFixed(0)} % of the unlimited throughput)`,
    );
  } finally {
    res.destroySync();
    await teardown();
  }
}

await main();
