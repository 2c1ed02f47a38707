import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/wait-for.js';
import { ExecError, execIn } from './exec.js';
import type { LabResources } from './resources.js';

const UDP_TOOL = fileURLToPath(new URL('./scripts/udp-tool.mjs', import.meta.url));

/** Default UDP port of the lab's echo server. */
export const ECHO_PORT = 7007;

/** The bytes wireguard-go adds per data packet on top of the UDP payload, at most:
 * IPv4 (20) + UDP (8) headers inside the tunnel, padding to 16 (≤ 15), and the
 * data-message header + auth tag (32) that WireGuard counts in its transfer counters. */
export const WG_PER_PACKET_OVERHEAD = 20 + 8 + 15 + 32;

export interface SendOptions {
  /** UDP payload per datagram; default 1000 (fits a 1420 MTU tunnel without fragments). */
  readonly datagramSize?: number;
  /** Datagrams handed to the kernel before pausing; default 32 (keeps wireguard-go's queue). */
  readonly batch?: number;
  /** Pause between batches; default 2 ms. */
  readonly pauseMs?: number;
}

/** What `sendUdp` really sent. */
export interface SentUdp {
  /** UDP payload bytes handed to the kernel. */
  readonly bytes: number;
  readonly datagrams: number;
}

/**
 * Sends `totalBytes` of UDP payload from namespace `ns` to `dstIp:port` — through the tunnel
 * when `dstIp` is a tunnel address — and resolves with what was sent. Paced so nothing is
 * dropped before WireGuard counts it.
 */
export async function sendUdp(
  ns: string,
  dstIp: string,
  port: number,
  totalBytes: number,
  opts: SendOptions = {},
): Promise<SentUdp> {
  const size = opts.datagramSize ?? 1000;
  const args = [UDP_TOOL, 'send', dstIp, String(port), String(totalBytes), String(size)];
  args.push(String(opts.batch ?? 32), String(opts.pauseMs ?? 2));
  const out = await execIn(ns, process.execPath, args, { timeoutMs: 60_000 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as SentUdp;
}

export interface ProbeOptions {
  readonly port?: number;
  /** Give up after this long; default 3000 ms. A failing probe always takes this long. */
  readonly timeoutMs?: number;
}

/**
 * True when a UDP echo round-trip from namespace `ns` to `dstIp` (an echo server, see
 * `startEcho`) succeeds within the timeout. Retries every 200 ms until then.
 */
export async function probe(ns: string, dstIp: string, opts: ProbeOptions = {}): Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const args = [UDP_TOOL, 'probe', dstIp, String(opts.port ?? ECHO_PORT), String(timeoutMs)];
  try {
    await execIn(ns, process.execPath, args, { timeoutMs: timeoutMs + 10_000 });
    return true;
  } catch (e) {
    if (e instanceof ExecError && e.code === 1) return false;
    throw e;
  }
}

/** A running echo server; `stop()` ends it (it also ends by itself after its lifetime). */
export interface EchoServer {
  readonly ns: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts a UDP echo server on `0.0.0.0:port` in namespace `ns` (so it answers on the tunnel
 * address, whatever happens to the interface). Its PID is recorded in `res` for teardown.
 */
export async function startEcho(
  res: LabResources,
  ns: string,
  port = ECHO_PORT,
  lifetimeMs = 600_000,
): Promise<EchoServer> {
  const proc = spawn(
    'ip',
    ['netns', 'exec', ns, process.execPath, UDP_TOOL, 'echo', String(port), String(lifetimeMs)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = proc.pid;
  if (pid === undefined) throw new Error('echo server did not start');
  res.pids.add(pid);
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  void exited.then(() => res.pids.delete(pid));
  await waitFor(`echo server in ${ns}`, () => {
    if (proc.exitCode !== null) throw new Error(`echo server exited: ${out}`);
    return out.includes('ready') || undefined;
  });
  return {
    ns,
    port,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Echo round-trip from the test process itself (root namespace) to `dstIp` over the underlay:
 * proves the root veth reaches a lab host. True on an answer within `timeoutMs`.
 */
export function probeFromHost(dstIp: string, opts: ProbeOptions = {}): Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const nonce = randomBytes(16);
    const finish = (ok: boolean) => {
      clearInterval(timer);
      clearTimeout(deadline);
      sock.close();
      resolve(ok);
    };
    sock.on('message', (msg) => msg.equals(nonce) && finish(true));
    sock.on('error', () => undefined);
    const fire = () => sock.send(nonce, opts.port ?? ECHO_PORT, dstIp, () => undefined);
    const timer = setInterval(fire, 200);
    const deadline = setTimeout(() => finish(false), timeoutMs);
    fire();
  });
}

/**
 * Reads a counter until it reaches `atLeast` (packets may still be in wireguard-go's queues
 * when `sendUdp` returns) or `timeoutMs` passes; resolves with the last value read.
 */
export async function settledCounter(
  read: () => Promise<number>,
  atLeast: number,
  { timeoutMs = 3000, intervalMs = 50 } = {},
): Promise<number> {
  let value = await read();
  if (value >= atLeast) return value;
  await waitFor(
    `a counter to reach ${atLeast}`,
    async () => ((value = await read()) >= atLeast ? value : undefined),
    { timeoutMs, intervalMs },
  ).catch(() => undefined); // not reached in time: the caller judges the last value
  return value;
}
