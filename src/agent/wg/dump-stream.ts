import type { DumpPeer, Enforcement } from '../../shared/wire/agent-api.js';
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

/**
 * Turns the output of `wg show IF dump`, chunk by chunk, into the JSON text of the agent's Dump
 * shape, piece by piece: the first piece once the interface line is read, then one piece per
 * chunk of peers. Nothing holds the whole dump, so memory stays flat at any peer count and the
 * answer leaves while `wg` is still printing. Secrets are skipped by the line parsers.
 */
export async function* dumpJson(
  name: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  instance: string | null = null,
  ledger: DumpLedger | null = null,
): AsyncGenerator<string> {
  const headJson = (line: string) => {
    const head = parseDumpHead(name, line, instance);
    return `{"interface":${JSON.stringify(ledger ? { ...head, epoch: ledger.epoch } : head)},"peers":[`;
  };
  // A peer added since the ledger's reading has no totals yet: 0, the next reading counts it.
  const peerJson = (p: DumpPeer) => {
    if (ledger) {
      const t = ledger.peers.get(p.public_key);
      p.total_rx = t?.totalRx ?? 0;
      p.total_tx = t?.totalTx ?? 0;
    }
    return JSON.stringify(p);
  };
  let carry = '';
  let line = 1;
  let headDone = false;
  let first = true;
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let pos = 0;
    let out = '';
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', pos)) {
      if (!headDone) {
        out += headJson(text.slice(pos, end));
        headDone = true;
      } else {
        out += (first ? '' : ',') + peerJson(parsePeerLine(text, pos, end, line));
        first = false;
      }
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
      yield headJson(carry);
      headDone = true;
    } else yield (first ? '' : ',') + peerJson(parsePeerLine(carry, 0, carry.length, line));
  }
  if (!headDone) throw new DumpFormatError(1);
  yield ledger ? `],"enforcements":${JSON.stringify(ledger.enforcements)}}` : ']}';
}
