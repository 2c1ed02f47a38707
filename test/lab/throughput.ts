import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/wait-for.js';
import { execIn } from './exec.js';
import type { LabResources } from './resources.js';

const TCP_TOOL = fileURLToPath(new URL('./scripts/tcp-tool.mjs', import.meta.url));

export interface TcpTransfer {
  /** Namespace and address the receiver listens on (a tunnel address: traffic crosses it). */
  readonly sinkNs: string;
  readonly sinkIp: string;
  readonly srcNs: string;
  /** Default 5201. */
  readonly port?: number;
  /** The sender stops after this long… */
  readonly maxMs: number;
  /** …or after this many bytes, whichever comes first. */
  readonly maxBytes: number;
  /** Data the receiver leaves out of the rate at the start (slow start, the shaper's burst). */
  readonly warmupMs?: number;
}

export interface TcpResult {
  /** Bytes the receiver got. */
  readonly bytes: number;
  /** From the first byte to the last, at the receiver. */
  readonly ms: number;
  /** Goodput after the warm-up, bits per second (TCP payload, measured at the receiver). */
  readonly rateBps: number;
}

/**
 * One bounded TCP transfer between lab namespaces (tcp-tool.mjs on both ends), measured at the
 * receiver. Bounded in bytes and time; the receiver gives up after `maxMs` plus 60 s in any case.
 */
export async function measureTcp(res: LabResources, t: TcpTransfer): Promise<TcpResult> {
  const port = String(t.port ?? 5201);
  const maxMs = t.maxMs + 60_000;
  const sink = spawn(
    'ip',
    [
      'netns',
      'exec',
      t.sinkNs,
      process.execPath,
      TCP_TOOL,
      'sink',
      t.sinkIp,
      port,
      String(maxMs),
      String(t.warmupMs ?? 700),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = sink.pid;
  if (pid === undefined) throw new Error('tcp sink did not start');
  res.pids.add(pid);
  let out = '';
  sink.stdout.on('data', (b: Buffer) => (out += b.toString()));
  sink.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => sink.once('exit', (code) => r(code)));
  void exited.then(() => res.pids.delete(pid));
  try {
    await waitFor(`tcp sink in ${t.sinkNs}`, () => {
      if (sink.exitCode !== null) throw new Error(`tcp sink exited: ${out}`);
      return out.includes('ready') || undefined;
    });
    const args = [TCP_TOOL, 'send', t.sinkIp, port, String(t.maxBytes), String(t.maxMs)];
    await execIn(t.srcNs, process.execPath, args, { timeoutMs: t.maxMs + 45_000 });
    const code = await exited;
    if (code !== 0) throw new Error(`tcp sink failed (${code}): ${out}`);
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
      bytes: number;
      ms: number;
      rate_bps: number | null;
    };
    if (r.rate_bps === null) throw new Error(`transfer too short to measure: ${out}`);
    return { bytes: r.bytes, ms: r.ms, rateBps: r.rate_bps };
  } finally {
    if (sink.exitCode === null && sink.signalCode === null) sink.kill('SIGKILL');
  }
}
