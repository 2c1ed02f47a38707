import type { PeerTotals } from '../ledger/interface-totals.js';
import { DumpFormatError } from './dump-parser.js';

/**
 * A peer line of `wg show IF dump` written straight from its bytes into an output buffer, as the
 * JSON of `DumpPeer` (byte for byte what `JSON.stringify` writes) or as the compact form's line
 * (shared/wire/dump-tsv.ts): no string per field, no object per peer. At 10,000 peers a dump
 * made that way is a few hundred kilobytes of young garbage instead of several megabytes, most of
 * which the 1 MB young generation of the systemd unit promoted to the old one (the agent's RSS
 * grew by tens of MB between two full collections). Only the public key becomes a string, and
 * only when the ledger needs it to look up the peer's totals.
 */

const TAB = 9;
const COMMA = 44;
const ZERO = 48;

/** `(none)`, `off`, `0x`: fields wg prints for nothing, and the fwmark's hex prefix. */
const NONE = Buffer.from('(none)', 'latin1');
const OFF = Buffer.from('off', 'latin1');

/** `tabs[i]` is the offset of the i-th tab of the line; a peer line has exactly 7. */
const tabs = new Int32Array(7);

function isAt(b: Buffer, from: number, to: number, word: Buffer): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[from + i] !== word[i]) return false;
  return true;
}

/** Decimal digits in [from, to) as a number, as dump-parser's intAt reads them. */
function intIn(b: Buffer, from: number, to: number, line: number): number {
  if (from >= to || to - from > 20) throw new DumpFormatError(line);
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = (b[i] as number) - ZERO;
    if (d < 0 || d > 9) throw new DumpFormatError(line);
    n = n * 10 + d;
  }
  return n;
}

/**
 * True when the line's bytes can be copied into a JSON string as they are: printable ASCII
 * without `"` or `\` (what wg prints: base64 keys, addresses, digits). Any other line is written
 * by the string path (dump-parser and JSON.stringify), so odd bytes are escaped as before.
 */
export function isPlainLine(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = b[i] as number;
    if (c === TAB) continue;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * Finds the line's 7 tabs (into `tabs`); throws for another count, as parsePeerLine does.
 */
function splitLine(b: Buffer, from: number, to: number, line: number): void {
  let n = 0;
  for (let i = from; i < to; i++)
    if (b[i] === TAB) {
      if (n === 7) throw new DumpFormatError(line);
      tabs[n++] = i;
    }
  if (n !== 7) throw new DumpFormatError(line);
}

/** An output buffer and how much of it is written. */
export class ByteSink {
  buf: Buffer;
  at = 0;

  constructor(readonly pieceBytes: number) {
    this.buf = Buffer.allocUnsafe(pieceBytes);
  }

  /** Hands the written part out and starts a new buffer with room for `need` bytes at least. */
  take(need = 0): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(Math.max(this.pieceBytes, need));
    this.at = 0;
    return out;
  }

  /** Bytes left in the buffer. */
  room(): number {
    return this.buf.length - this.at;
  }

  ascii(s: string): void {
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  utf8(s: string): void {
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  copy(b: Buffer, from: number, to: number): void {
    this.at += b.copy(this.buf, this.at, from, to);
  }

  /** A non-negative integer as `String(n)` writes it. */
  int(n: number): void {
    if (n > Number.MAX_SAFE_INTEGER) return this.ascii(String(n));
    const buf = this.buf;
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    let i = this.at + digits;
    this.at = i;
    do {
      buf[--i] = ZERO + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }
}

/**
 * The most a line of `len` bytes can take once written: JSON's field names and `","`s, or (the
 * string path) `\u00XX` for a control byte; and two totals.
 */
export const worstBytes = (len: number) => 6 * len + 256;

/** What the ledger adds to one peer: its totals, brought up to the raw counters of the line. */
export type TotalsOf = (key: string) => PeerTotals | undefined;

/**
 * A peer's total brought up to the raw counter this dump carries, as the ledger's next reading
 * will count it (a counter below the last reading restarted from zero): the ledger reads about
 * once a second, and totals from that older reading next to newer raw counters would let a reader
 * that counts one poll by raw counters and the next by totals count the bytes between twice. A
 * peer added since the ledger's reading (no totals yet) counts from zero.
 */
export function totalAt(total: number, lastRaw: number, raw: number): number {
  return total + (raw >= lastRaw ? raw - lastRaw : raw);
}

/**
 * Writes the peer line [from, to) of `b` (line number `line`) into `out`, in `form`, the peer's
 * totals from `totals` when given; the preshared key (second field) is skipped. `first`: no
 * separator before it (JSON). The line must be plain (`isPlainLine`).
 */
export function writePeerLine(
  out: ByteSink,
  form: 'json' | 'tsv',
  b: Buffer,
  from: number,
  to: number,
  line: number,
  first: boolean,
  totals: TotalsOf | null,
): void {
  splitLine(b, from, to, line);
  const t0 = tabs[0] as number;
  const t1 = tabs[1] as number;
  const t2 = tabs[2] as number;
  const t3 = tabs[3] as number;
  const t4 = tabs[4] as number;
  const t5 = tabs[5] as number;
  const t6 = tabs[6] as number;
  const handshake = intIn(b, t3 + 1, t4, line);
  const rx = intIn(b, t4 + 1, t5, line);
  const tx = intIn(b, t5 + 1, t6, line);
  const keepalive = keepaliveOf(b, t6 + 1, to, line);
  const endpointNone = isAt(b, t1 + 1, t2, NONE);
  const ipsNone = t3 === t2 + 1 || isAt(b, t2 + 1, t3, NONE);
  let totalRx = 0;
  let totalTx = 0;
  if (totals) {
    const t = totals(b.toString('latin1', from, t0));
    totalRx = totalAt(t?.totalRx ?? 0, t?.lastRx ?? 0, rx);
    totalTx = totalAt(t?.totalTx ?? 0, t?.lastTx ?? 0, tx);
  }
  if (form === 'tsv') {
    out.copy(b, from, t0 + 1); // the key and its tab
    if (!endpointNone) out.copy(b, t1 + 1, t2);
    out.buf[out.at++] = TAB;
    if (!ipsNone) out.copy(b, t2 + 1, t3);
    out.buf[out.at++] = TAB;
    if (handshake !== 0) out.int(handshake);
    out.buf[out.at++] = TAB;
    out.int(rx);
    out.buf[out.at++] = TAB;
    out.int(tx);
    out.buf[out.at++] = TAB;
    if (keepalive !== null) out.int(keepalive);
    if (totals) {
      out.buf[out.at++] = TAB;
      out.int(totalRx);
      out.buf[out.at++] = TAB;
      out.int(totalTx);
    }
    out.buf[out.at++] = 10;
    return;
  }
  out.ascii(first ? '{"public_key":"' : ',{"public_key":"');
  out.copy(b, from, t0);
  if (endpointNone) out.ascii('","endpoint":null,"allowed_ips":[');
  else {
    out.ascii('","endpoint":"');
    out.copy(b, t1 + 1, t2);
    out.ascii('","allowed_ips":[');
  }
  if (!ipsNone) {
    out.buf[out.at++] = 0x22;
    for (let s = t2 + 1; ;) {
      let e = b.indexOf(COMMA, s);
      if (e < 0 || e > t3) e = t3;
      out.copy(b, s, e);
      if (e === t3) break;
      out.ascii('","');
      s = e + 1;
    }
    out.buf[out.at++] = 0x22;
  }
  out.ascii('],"latest_handshake":');
  if (handshake === 0) out.ascii('null');
  else out.int(handshake);
  out.ascii(',"transfer_rx":');
  out.int(rx);
  out.ascii(',"transfer_tx":');
  out.int(tx);
  out.ascii(',"persistent_keepalive":');
  if (keepalive === null) out.ascii('null');
  else out.int(keepalive);
  if (totals) {
    out.ascii(',"total_rx":');
    out.int(totalRx);
    out.ascii(',"total_tx":');
    out.int(totalTx);
  }
  out.buf[out.at++] = 0x7d;
}

/** `off`/`0` → null, decimal, or 0x-prefixed hex (dump-parser's optionalInt). */
function keepaliveOf(b: Buffer, from: number, to: number, line: number): number | null {
  if (isAt(b, from, to, OFF) || (to - from === 1 && b[from] === ZERO)) return null;
  if (to - from > 1 && b[from + 1] === 0x78 /* x */) {
    const v = b.toString('latin1', from, to);
    if (!/^0x[0-9a-f]+$/i.test(v)) throw new DumpFormatError(line);
    return Number(v);
  }
  return intIn(b, from, to, line);
}
