import { connect } from 'node:net';
import { join } from 'node:path';
import type { TransferReading } from './transfer-parser.js';

/** Where userspace WireGuard (wireguard-go) puts its control sockets, in the order wg(8) looks. */
export const UAPI_DIRS = ['/var/run/wireguard', '/run/wireguard'] as const;

/** The UAPI answer did not have the documented shape, or said errno ≠ 0. */
export class UapiError extends Error {
  constructor(
    message: string,
    /** The errno the implementation answered, when it answered one. */
    readonly errno: number | null = null,
  ) {
    super(message);
  }
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[97 + i] = 10 + i;
  HEX[65 + i] = 10 + i;
}

const enc = (s: string) => Buffer.from(s, 'latin1');
const PUBLIC_KEY = enc('public_key=');
const RX = enc('rx_bytes=');
const TX = enc('tx_bytes=');
const ERRNO = enc('errno=');

function startsWith(b: Buffer, from: number, end: number, p: Buffer): boolean {
  if (end - from < p.length) return false;
  for (let i = 0; i < p.length; i++) if (b[from + i] !== p[i]) return false;
  return true;
}

function intIn(b: Buffer, from: number, end: number): number {
  if (from >= end || end - from > 20) throw new UapiError('malformed counter');
  let n = 0;
  for (let i = from; i < end; i++) {
    const d = (b[i] as number) - 48;
    if (d < 0 || d > 9) throw new UapiError('malformed counter');
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses the answer of a UAPI `get=1` (WireGuard's cross-platform configuration protocol) line by
 * line as bytes arrive, keeping only each peer's public key and rx/tx counters. Every other line
 * is skipped without becoming a string — among them the interface's `private_key` and the peers'
 * `preshared_key` — and each chunk is zeroed once scanned, so no secret outlives the reading.
 * Public keys arrive hex-encoded and come out in standard base64, as `wg show` prints them.
 */
export class UapiTransferParser {
  private readonly keys: string[] = [];
  private readonly rx: number[] = [];
  private readonly tx: number[] = [];
  private readonly key = Buffer.alloc(32);
  /** Bytes of a line split across chunks (lines are short: a fixed buffer). */
  private readonly carry = Buffer.alloc(512);
  private carried = 0;
  private errno: number | null = null;
  private finished = false;

  /** True once the closing empty line (after `errno=`) was read. */
  get done(): boolean {
    return this.finished;
  }

  /** Scans one chunk (and zeroes it). */
  push(chunk: Buffer): void {
    let pos = 0;
    try {
      while (pos < chunk.length && !this.finished) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) {
          this.keep(chunk, pos, chunk.length);
          return;
        }
        if (this.carried > 0) {
          this.keep(chunk, pos, nl);
          this.line(this.carry, 0, this.carried);
          this.carry.fill(0, 0, this.carried);
          this.carried = 0;
        } else this.line(chunk, pos, nl);
        pos = nl + 1;
      }
    } finally {
      chunk.fill(0);
    }
  }

  /** The counters read, once `done`; throws for an errno ≠ 0 or an answer cut short. */
  reading(): TransferReading {
    if (!this.finished) throw new UapiError('answer ended early');
    if (this.errno !== 0)
      throw new UapiError(`the interface answered errno=${this.errno}`, this.errno);
    if (this.rx.length !== this.keys.length || this.tx.length !== this.keys.length)
      throw new UapiError('a peer without its counters');
    return { keys: this.keys, rx: this.rx, tx: this.tx };
  }

  private keep(b: Buffer, from: number, to: number): void {
    if (this.carried + (to - from) > this.carry.length) throw new UapiError('line too long');
    b.copy(this.carry, this.carried, from, to);
    this.carried += to - from;
  }

  private line(b: Buffer, from: number, end: number): void {
    if (end === from) {
      if (this.errno === null) throw new UapiError('empty line before errno');
      this.finished = true;
      return;
    }
    // Each peer starts with public_key= and has one rx_bytes= and one tx_bytes=.
    if (startsWith(b, from, end, PUBLIC_KEY)) {
      if (this.rx.length !== this.keys.length || this.tx.length !== this.keys.length)
        throw new UapiError('a peer without its counters');
      this.keys.push(this.hexKey(b, from + PUBLIC_KEY.length, end));
    } else if (startsWith(b, from, end, RX)) this.rx.push(intIn(b, from + RX.length, end));
    else if (startsWith(b, from, end, TX)) this.tx.push(intIn(b, from + TX.length, end));
    else if (startsWith(b, from, end, ERRNO)) this.errno = intIn(b, from + ERRNO.length, end);
  }

  private hexKey(b: Buffer, from: number, end: number): string {
    if (end - from !== 64) throw new UapiError('malformed public key');
    for (let i = 0; i < 32; i++) {
      const hi = HEX[b[from + 2 * i] as number] as number;
      const lo = HEX[b[from + 2 * i + 1] as number] as number;
      if (hi < 0 || lo < 0) throw new UapiError('malformed public key');
      this.key[i] = (hi << 4) | lo;
    }
    return keyText(this.key);
  }
}

/** Keys seen so far, by their first 6 bytes (random: a good hash), with their base64 text. */
const known = new Map<number, { readonly bytes: Buffer; readonly text: string }>();
/** Past this many keys the cache starts again (peers come and go over months). */
const KNOWN_MAX = 1_000_000;

/**
 * The base64 text of a public key, the same string object for the same key every reading: a
 * reading of a known peer allocates nothing for its key (10,000 fresh strings a second were most
 * of what the read loop left to the garbage collector).
 */
function keyText(key: Buffer): string {
  const hash = key.readUIntLE(0, 6);
  const hit = known.get(hash);
  if (hit && hit.bytes.equals(key)) return hit.text;
  const text = key.toString('base64');
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(hash, { bytes: Buffer.from(key), text });
  return text;
}

/** The control socket of a userspace interface, or null when none is there (kernel WireGuard). */
export type UapiSocketOf = (iface: string) => Promise<string | null>;

/**
 * Reads every peer's raw counters of a userspace interface straight from its UAPI socket (what
 * `wg show IF transfer` does, without spawning a process each reading). Resolves null when the
 * interface has no socket (kernel WireGuard, or not there): the caller falls back to `wg`.
 */
export function readUapiTransfer(
  iface: string,
  dirs: readonly string[] = UAPI_DIRS,
  timeoutMs = 10_000,
): Promise<TransferReading | null> {
  const attempt = (i: number): Promise<TransferReading | null> => {
    const dir = dirs[i];
    if (dir === undefined) return Promise.resolve(null);
    return readSocket(join(dir, `${iface}.sock`), timeoutMs).then((r) =>
      r === null ? attempt(i + 1) : r,
    );
  };
  return attempt(0);
}

/**
 * One buffer for every socket read of the process (readings of all interfaces run one at a time,
 * under the read loop; a concurrent reading gets its own): a reading allocates no chunk per read,
 * which at 10,000 peers (about 3 MB an answer, every second) was most of the agent's memory churn.
 */
let shared: Buffer | null = Buffer.alloc(64 * 1024);

function readSocket(path: string, timeoutMs: number): Promise<TransferReading | null> {
  return new Promise((resolve, reject) => {
    const parser = new UapiTransferParser();
    const buffer = shared ?? Buffer.alloc(64 * 1024);
    if (buffer === shared) shared = null;
    let settled = false;
    const finish = (err: Error | null, value: TransferReading | null = null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      buffer.fill(0);
      shared ??= buffer;
      if (err) reject(err);
      else resolve(value);
    };
    const socket = connect({
      path,
      onread: {
        buffer,
        callback: (nread: number, buf: Uint8Array) => {
          if (settled) return false;
          try {
            // The parser zeroes what it scanned: the answer holds the interface's private key.
            parser.push(Buffer.from(buf.buffer, buf.byteOffset, nread));
            if (parser.done) finish(null, parser.reading());
          } catch (e) {
            finish(e as Error);
          }
          return !settled;
        },
      },
    });
    socket.setTimeout(timeoutMs, () => finish(new UapiError(`no answer within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write('get=1\n\n'));
    socket.on('end', () => {
      try {
        finish(null, parser.reading());
      } catch (e) {
        finish(e as Error);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // No socket there, or nobody listening on it (a stale file): not a userspace interface.
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') finish(null, null);
      else finish(new UapiError(`socket ${path}: ${e.code ?? e.message}`));
    });
  });
}
