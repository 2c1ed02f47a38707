import type { Dump, DumpPeer, Enforcement } from '../../shared/wire/agent-api.js';
import { dumpTsvHead, dumpTsvPeer, dumpTsvTail } from '../../shared/wire/dump-tsv.js';
import type { PeerTotals } from '../ledger/interface-totals.js';
import { ByteSink, isPlainLine, totalAt, worstBytes, writePeerLine } from './dump-bytes.js';
import { DumpFormatError, parseDumpHead, parsePeerLine } from './dump-parser.js';

/** What the node's ledger adds to a dump: epoch, per-peer totals, records of its own cuts. */
export interface DumpLedger {
  readonly epoch: string;
  readonly peers: ReadonlyMap<string, PeerTotals>;
  readonly enforcements: readonly Enforcement[];
}

/**
 * Bytes per piece handed to the response stream (a buffer of its own, outside V8's heap): the
 * answer leaves piece by piece while `wg` is still printing, and few bytes wait in memory.
 */
const PIECE_BYTES = 16 * 1024;

/** How a dump's text is written: the seed's JSON, or the compact form the panel asks for. */
export type DumpForm = 'json' | 'tsv';

/** The pieces of one form: the interface line, a peer (`first` for the first), the end. */
interface FormWriter {
  head(head: Dump['interface']): string;
  peer(p: DumpPeer, first: boolean): string;
  tail(enforcements: readonly Enforcement[] | undefined, peers: number): string;
}

const WRITERS: Record<DumpForm, FormWriter> = {
  json: {
    head: (head) => `{"interface":${JSON.stringify(head)},"peers":[`,
    peer: (p, first) => (first ? '' : ',') + JSON.stringify(p),
    tail: (enforcements) =>
      enforcements === undefined ? ']}' : `],"enforcements":${JSON.stringify(enforcements)}}`,
  },
  tsv: { head: dumpTsvHead, peer: dumpTsvPeer, tail: dumpTsvTail },
};

/** Bytes of the line [from, to) of `b` as text (a line the byte writer leaves to the string path). */
const lineText = (b: Buffer, from: number, to: number) => b.toString('utf8', from, to);

/**
 * Turns the output of `wg show IF dump`, chunk by chunk, into the JSON text of the agent's Dump
 * shape, piece by piece: the first piece once the interface line is read, then pieces as each
 * chunk of peers is read. Nothing holds the whole dump, so memory stays flat at any peer count and
 * the answer leaves while `wg` is still printing. Secrets are skipped by the line parsers.
 */
export function dumpJson(
  name: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  instance: string | null = null,
  ledger: DumpLedger | null = null,
): AsyncGenerator<Buffer> {
  return dumpText('json', name, chunks, instance, ledger);
}

/**
 * Like `dumpJson`, in the form asked for (`tsv`: see shared/wire/dump-tsv.ts). Peer lines are
 * written from wg's bytes into the pieces (dump-bytes.ts); a line with bytes JSON would escape
 * goes through the string path (dump-parser, JSON.stringify), so both write the same text. Each
 * chunk of wg's output is zeroed once read: its preshared keys do not linger in freed memory.
 */
export async function* dumpText(
  form: DumpForm,
  name: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  instance: string | null = null,
  ledger: DumpLedger | null = null,
): AsyncGenerator<Buffer> {
  const w = WRITERS[form];
  const out = new ByteSink(PIECE_BYTES);
  const totals = ledger ? (key: string) => ledger.peers.get(key) : null;
  const headText = (line: string) => {
    const head = parseDumpHead(name, line, instance);
    return w.head(ledger ? { ...head, epoch: ledger.epoch } : head);
  };
  const peerText = (p: DumpPeer) => {
    if (ledger) {
      const t = ledger.peers.get(p.public_key);
      p.total_rx = totalAt(t?.totalRx ?? 0, t?.lastRx ?? 0, p.transfer_rx);
      p.total_tx = totalAt(t?.totalTx ?? 0, t?.lastTx ?? 0, p.transfer_tx);
    }
    return w.peer(p, peers === 0);
  };
  /** Writes one line (the caller made room for it). */
  const writeLine = (b: Buffer, from: number, end: number) => {
    if (!headDone) {
      out.utf8(headText(lineText(b, from, end)));
      headDone = true;
    } else {
      if (isPlainLine(b, from, end))
        writePeerLine(out, form, b, from, end, line, peers === 0, totals);
      else out.utf8(peerText(parsePeerLine(lineText(b, from, end), 0, end - from, line)));
      peers++;
    }
    line++;
  };
  let peers = 0;
  let line = 1;
  let headDone = false;
  /** The start of a line cut by the end of the previous chunk (a copy: chunks are zeroed). */
  let carry: Buffer | null = null;
  for await (const chunk of chunks) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let pos = 0;
    try {
      if (carry) {
        const nl = b.indexOf(10);
        const joined = Buffer.concat([carry, nl < 0 ? b : b.subarray(0, nl)]);
        carry.fill(0);
        carry = joined;
        if (nl < 0) continue;
        if (out.room() < worstBytes(joined.length)) yield out.take(worstBytes(joined.length));
        writeLine(joined, 0, joined.length);
        joined.fill(0);
        carry = null;
        pos = nl + 1;
      }
      for (let end = b.indexOf(10, pos); end >= 0; end = b.indexOf(10, pos)) {
        if (out.room() < worstBytes(end - pos)) yield out.take(worstBytes(end - pos));
        writeLine(b, pos, end);
        pos = end + 1;
      }
      if (pos < b.length) carry = Buffer.from(b.subarray(pos));
    } finally {
      b.fill(0);
    }
    if (out.at > 0) yield out.take();
  }
  if (carry) {
    // wg ends its output with a newline; a last line without one is still read.
    if (out.room() < worstBytes(carry.length)) yield out.take(worstBytes(carry.length));
    writeLine(carry, 0, carry.length);
    carry.fill(0);
  }
  if (!headDone) throw new DumpFormatError(1);
  const tail = w.tail(ledger ? ledger.enforcements : undefined, peers);
  const need = Buffer.byteLength(tail);
  if (out.room() < need) yield out.take(need);
  out.utf8(tail);
  yield out.take();
}
