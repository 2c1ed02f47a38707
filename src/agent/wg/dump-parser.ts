import type { Dump, DumpPeer } from '../../shared/wire/agent-api.js';

/** Error for output of `wg show IF dump` that does not have the documented shape. */
export class DumpFormatError extends Error {
  constructor(readonly line: number) {
    super(`unexpected wg dump output at line ${line}`);
  }
}

const none = (v: string): string | null => (v === '(none)' ? null : v);

/**
 * Decimal digits of `t` in [from, to) as a number. A hot loop at 10k+ peers: a char scan without
 * substrings. Counters above 2^53 lose precision (JSON numbers cannot carry more either).
 */
function intAt(t: string, from: number, to: number, line: number): number {
  if (from >= to || to - from > 20) throw new DumpFormatError(line);
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new DumpFormatError(line);
    n = n * 10 + d;
  }
  return n;
}

/** Index of the next tab in [from, end) of `t`. */
function tab(t: string, from: number, end: number, line: number): number {
  const at = t.indexOf('\t', from);
  if (at < 0 || at >= end) throw new DumpFormatError(line);
  return at;
}

/** `off`/`0` → null, decimal, or the fwmark's 0x-prefixed hex. */
function optionalInt(v: string, line: number): number | null {
  if (v === 'off' || v === '0') return null;
  if (v.charCodeAt(1) === 120 /* x */) {
    if (!/^0x[0-9a-f]+$/i.test(v)) throw new DumpFormatError(line);
    return Number(v);
  }
  return intAt(v, 0, v.length, line);
}

/** Reads the interface line (`private key, public key, port, fwmark`); the private key is dropped. */
export function parseDumpHead(
  name: string,
  line: string,
  instance: string | null = null,
): Dump['interface'] {
  const head = line.split('\t');
  if (head.length !== 4) throw new DumpFormatError(1);
  return {
    name,
    public_key: none(head[1] as string),
    listen_port: optionalInt(head[2] as string, 1),
    fwmark: optionalInt(head[3] as string, 1),
    instance,
  };
}

/**
 * Reads the peer line of `text` in [pos, end) (line number `line`, for errors). The preshared key
 * (second field) is skipped and never reaches a caller.
 */
export function parsePeerLine(text: string, pos: number, end: number, line: number): DumpPeer {
  // Fields: public key, preshared key, endpoint, allowed ips, handshake, rx, tx, keepalive.
  const t0 = tab(text, pos, end, line);
  const t1 = tab(text, t0 + 1, end, line);
  const t2 = tab(text, t1 + 1, end, line);
  const t3 = tab(text, t2 + 1, end, line);
  const t4 = tab(text, t3 + 1, end, line);
  const t5 = tab(text, t4 + 1, end, line);
  const t6 = tab(text, t5 + 1, end, line);
  const extra = text.indexOf('\t', t6 + 1);
  if (extra >= 0 && extra < end) throw new DumpFormatError(line);
  const allowed = text.slice(t2 + 1, t3);
  const handshake = intAt(text, t3 + 1, t4, line);
  return {
    public_key: text.slice(pos, t0),
    endpoint: none(text.slice(t1 + 1, t2)),
    allowed_ips: allowed === '(none)' || allowed === '' ? [] : allowed.split(','),
    latest_handshake: handshake === 0 ? null : handshake,
    transfer_rx: intAt(text, t4 + 1, t5, line),
    transfer_tx: intAt(text, t5 + 1, t6, line),
    persistent_keepalive: optionalInt(text.slice(t6 + 1, end), line),
  };
}

/**
 * Parses the tab-separated output of `wg show IF dump`. The interface line carries the private key
 * and every peer line a preshared key: both are skipped here and never reach a caller.
 */
export function parseDump(name: string, text: string, instance: string | null = null): Dump {
  const nl = text.indexOf('\n');
  const headEnd = nl < 0 ? text.length : nl;
  const iface = parseDumpHead(name, text.slice(0, headEnd), instance);
  const peers: DumpPeer[] = [];
  let pos = headEnd + 1;
  for (let line = 2; pos < text.length; line++) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    peers.push(parsePeerLine(text, pos, end, line));
    pos = end + 1;
  }
  return { interface: iface, peers };
}
