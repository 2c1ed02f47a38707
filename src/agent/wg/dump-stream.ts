import type { Dump, DumpPeer, Enforcement } from '../../shared/wire/agent-api.js';
import { dumpTsvHead, dumpTsvPeer, dumpTsvTail } from '../../shared/wire/dump-tsv.js';
import type { PeerTotals } from '../ledger/interface-totals.js';
import { DumpFormatError, parseDumpHead, parsePeerLine } from './dump-parser.js';

/** What the node's ledger adds to a dump: epoch, per-peer totals, records of its own cuts. */
export interface DumpLedger {
  readonly epoch: string;
  readonly peers: ReadonlyMap<string, PeerTotals>;
  readonly enforcements: readonly Enforcement[];
}

/** Characters per piece handed to the response stream. */
const PIECE_CHARS = 16 * 1024;

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

/**
 * A peer's total brought up to the raw counter this dump carries, as the ledger's next reading
 * will count it (a counter below the last reading restarted from zero): the ledger reads about
 * once a second, and totals from that older reading next to newer raw counters would let a reader
 * that counts one poll by raw counters and the next by totals count the bytes between twice. A
 * peer added since the ledger's reading (no totals yet) counts from zero.
 */
function totalAt(total: number, lastRaw: number, raw: number): number {
  return total + (raw >= lastRaw ? raw - lastRaw : raw);
}

/**
 * Turns the output of `wg show IF dump`, chunk by chunk, into the JSON text of the agent's Dump
 * shape, piece by piece: the first piece once the interface line is read, then one piece per
 * chunk of peers. Nothing holds the whole dump, so memory stays flat at any peer count and the
 * answer leaves while `wg` is still printing. Secrets are skipped by the line parsers.
 */
export function dumpJson(
  name: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  instance: string | null = null,
  ledger: DumpLedger | null = null,
): AsyncGenerator<string> {
  return dumpText('json', name, chunks, instance, ledger);
}

/** Like `dumpJson`, in the form asked for (`tsv`: see shared/wire/dump-tsv.ts). */
export async function* dumpText(
  form: DumpForm,
  name: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  instance: string | null = null,
  ledger: DumpLedger | null = null,
): AsyncGenerator<string> {
  const w = WRITERS[form];
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
    return w.peer(p, peers++ === 0);
  };
  let peers = 0;
  let carry = '';
  let line = 1;
  let headDone = false;
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let pos = 0;
    let out = '';
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', pos)) {
      if (!headDone) {
        out += headText(text.slice(pos, end));
        headDone = true;
      } else out += peerText(parsePeerLine(text, pos, end, line));
      // Small pieces die young in V8's new space; a piece over ~128 KB would land in the
      // large-object space, which only a full GC frees, and the agent's RSS would creep.
      if (out.length >= PIECE_CHARS) {
        yield out;
        out = '';
      }
      line++;
      pos = end + 1;
    }
    carry = text.slice(pos);
    if (out) yield out;
  }
  if (carry !== '') {
    // wg ends its output with a newline; a last line without one is still read.
    if (!headDone) {
      yield headText(carry);
      headDone = true;
    } else yield peerText(parsePeerLine(carry, 0, carry.length, line));
  }
  if (!headDone) throw new DumpFormatError(1);
  yield w.tail(ledger ? ledger.enforcements : undefined, peers);
}
