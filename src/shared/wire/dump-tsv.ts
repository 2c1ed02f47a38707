import type { Dump, DumpPeer, Enforcement } from './agent-api.js';

/**
 * The dump's compact form, which the panel asks for with `Accept` (the seed's JSON stays the
 * default for everyone else). Tab-separated lines, one per peer, like `wg show IF dump` but without
 * any secret and with the ledger's totals:
 *
 *     wgfleet-dump/1 TAB name TAB public_key TAB listen_port TAB fwmark TAB instance [TAB epoch]
 *     public_key TAB endpoint TAB allowed_ips TAB latest_handshake TAB transfer_rx TAB transfer_tx
 *       TAB persistent_keepalive [TAB total_rx TAB total_tx]          (one line per peer)
 *     enforcements TAB <the JSON array>                                (agents with a ledger)
 *     end TAB <number of peers>
 *
 * An empty field is null (an empty `allowed_ips` is no address; `epoch` absent without a ledger,
 * and then no peer has totals). `allowed_ips` is comma-separated. The `end` line with the count
 * tells a complete answer from a cut one.
 */
export const DUMP_TSV_TYPE = 'application/vnd.wgfleet.dump+tsv';
/** The first field of the first line: the format and its version. */
export const DUMP_TSV_MAGIC = 'wgfleet-dump/1';

const ENFORCEMENTS = 'enforcements\t';
const END = 'end\t';

const field = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : v);

/** The first line (the interface). */
export function dumpTsvHead(head: Dump['interface']): string {
  const epoch = head.epoch === undefined ? '' : `\t${head.epoch}`;
  return `${DUMP_TSV_MAGIC}\t${head.name}\t${field(head.public_key)}\t${field(head.listen_port)}\t${field(head.fwmark)}\t${field(head.instance)}${epoch}\n`;
}

/** One peer's line; totals are written when the peer has them. */
export function dumpTsvPeer(p: DumpPeer): string {
  const totals = p.total_rx === undefined ? '' : `\t${p.total_rx}\t${field(p.total_tx)}`;
  return `${p.public_key}\t${field(p.endpoint)}\t${p.allowed_ips.join(',')}\t${field(p.latest_handshake)}\t${p.transfer_rx}\t${p.transfer_tx}\t${field(p.persistent_keepalive)}${totals}\n`;
}

/** The closing lines: the ledger's records (when there is a ledger) and the peer count. */
export function dumpTsvTail(enforcements: readonly Enforcement[] | undefined, peers: number) {
  const e = enforcements === undefined ? '' : `${ENFORCEMENTS}${JSON.stringify(enforcements)}\n`;
  return `${e}${END}${peers}\n`;
}

/** A whole dump in the compact form (the agent streams the same lines piece by piece). */
export function encodeDumpTsv(dump: Dump): string {
  let out = dumpTsvHead(dump.interface);
  for (const p of dump.peers) out += dumpTsvPeer(p);
  return out + dumpTsvTail(dump.enforcements, dump.peers.length);
}

/** A compact dump that is not well formed: names the line and the field at fault. */
export class DumpTsvError extends Error {
  constructor(
    /** 1-based line of the answer. */
    readonly line: number,
    /** The field at fault, as the JSON form names it (`peers[3].transfer_rx`). */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`line ${line}: ${field} ${reason}`);
  }
}

/** Checks the records of the `enforcements` line (their schema, compiled by the caller). */
export type EnforcementsCheck = (value: unknown, line: number) => Enforcement[];

// 44 characters of standard base64 (a 32-byte key), as `wg` prints every key.
const KEY = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Reads a compact dump back into the Dump shape, exactly as its JSON form would parse (same
 * properties, same nulls). Throws `DumpTsvError` at the first line or field that is wrong: a
 * missing or extra field, a number that is not a non-negative integer, a key that is not one, a
 * peer count that does not match (a cut answer).
 */
export function decodeDumpTsv(text: string, checkEnforcements: EnforcementsCheck): Dump {
  let pos = 0;
  let line = 0;
  const next = (): string | null => {
    if (pos >= text.length) return null;
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const s = text.slice(pos, end);
    pos = end + 1;
    line++;
    return s;
  };
  const headLine = next();
  if (headLine === null) throw new DumpTsvError(1, '(answer)', 'is empty');
  const h = headLine.split('\t');
  if (h[0] !== DUMP_TSV_MAGIC)
    throw new DumpTsvError(1, '(answer)', `does not start with ${DUMP_TSV_MAGIC}`);
  if (h.length !== 6 && h.length !== 7)
    throw new DumpTsvError(1, 'interface', `has ${h.length - 1} fields, expected 5 or 6`);
  const ledger = h.length === 7;
  const iface: Dump['interface'] = {
    name: text1(h[1], 1, 'interface.name'),
    public_key: nullable(h[2]),
    listen_port: intOrNull(h[3], 1, 'interface.listen_port'),
    fwmark: intOrNull(h[4], 1, 'interface.fwmark'),
    instance: nullable(h[5]),
  };
  if (ledger) iface.epoch = text1(h[6], 1, 'interface.epoch');
  const peers: DumpPeer[] = [];
  const width = ledger ? 9 : 7;
  let enforcements: Enforcement[] | undefined;
  for (let s = next(); ; s = next()) {
    if (s === null) throw new DumpTsvError(line + 1, '(answer)', 'ends without its end line');
    if (s.startsWith(END)) {
      const count = intAt(s.slice(END.length), line, 'end');
      if (count !== peers.length)
        throw new DumpTsvError(line, 'end', `says ${count} peers, the answer has ${peers.length}`);
      if (ledger && enforcements === undefined)
        throw new DumpTsvError(line, 'enforcements', 'is missing');
      if (pos < text.length) throw new DumpTsvError(line + 1, '(answer)', 'goes on after end');
      break;
    }
    if (s.startsWith(ENFORCEMENTS)) {
      if (!ledger || enforcements !== undefined)
        throw new DumpTsvError(line, 'enforcements', 'is not expected here');
      let value: unknown;
      try {
        value = JSON.parse(s.slice(ENFORCEMENTS.length));
      } catch {
        throw new DumpTsvError(line, 'enforcements', 'is not JSON');
      }
      enforcements = checkEnforcements(value, line);
      continue;
    }
    if (enforcements !== undefined)
      throw new DumpTsvError(line, `peers[${peers.length}]`, 'comes after enforcements');
    peers.push(peerLine(s, line, `peers[${peers.length}]`, width));
  }
  const dump: Dump = { interface: iface, peers };
  if (enforcements !== undefined) dump.enforcements = enforcements;
  return dump;
}

function peerLine(s: string, line: number, at: string, width: number): DumpPeer {
  const f = s.split('\t');
  if (f.length !== width)
    throw new DumpTsvError(line, at, `has ${f.length} fields, expected ${width}`);
  const key = f[0] as string;
  if (!KEY.test(key)) throw new DumpTsvError(line, `${at}.public_key`, 'is not a WireGuard key');
  const allowed = f[2] as string;
  const p: DumpPeer = {
    public_key: key,
    endpoint: nullable(f[1]),
    allowed_ips: allowed === '' ? [] : allowed.split(','),
    latest_handshake: intOrNull(f[3], line, `${at}.latest_handshake`),
    transfer_rx: intAt(f[4], line, `${at}.transfer_rx`),
    transfer_tx: intAt(f[5], line, `${at}.transfer_tx`),
    persistent_keepalive: intOrNull(f[6], line, `${at}.persistent_keepalive`),
  };
  if (width === 9) {
    p.total_rx = intAt(f[7], line, `${at}.total_rx`);
    p.total_tx = intAt(f[8], line, `${at}.total_tx`);
  }
  return p;
}

const nullable = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

function text1(v: string | undefined, line: number, name: string): string {
  if (v === undefined || v === '') throw new DumpTsvError(line, name, 'is empty');
  return v;
}

/** A non-negative decimal integer (a safe one: JSON could not carry more either). */
function intAt(v: string | undefined, line: number, name: string): number {
  if (v === undefined || v === '' || v.length > 16)
    throw new DumpTsvError(line, name, 'is not a non-negative integer');
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new DumpTsvError(line, name, 'is not a non-negative integer');
    n = n * 10 + d;
  }
  if (!Number.isSafeInteger(n)) throw new DumpTsvError(line, name, 'is too large');
  return n;
}

function intOrNull(v: string | undefined, line: number, name: string): number | null {
  return v === '' ? null : intAt(v, line, name);
}
