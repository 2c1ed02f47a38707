/** Error for output of `wg show IF transfer` that does not have the documented shape. */
export class TransferFormatError extends Error {
  constructor(readonly line: number) {
    super(`unexpected wg transfer output at line ${line}`);
  }
}

/** The raw counters of every peer of one interface, in parallel arrays (cheap at 10k+ peers). */
export interface TransferReading {
  readonly keys: string[];
  /** Bytes received from the peer. */
  readonly rx: number[];
  /** Bytes sent to the peer. */
  readonly tx: number[];
}

function intAt(t: string, from: number, to: number, line: number): number {
  if (from >= to || to - from > 20) throw new TransferFormatError(line);
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new TransferFormatError(line);
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses `wg show IF transfer`: one line per peer, `public key \t rx \t tx`. It holds no secret.
 * A char scan without per-field substrings but the key: it runs every second at 10k+ peers.
 */
export function parseTransfer(text: string): TransferReading {
  const keys: string[] = [];
  const rx: number[] = [];
  const tx: number[] = [];
  let pos = 0;
  for (let line = 1; pos < text.length; line++) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (end > pos) {
      const t0 = text.indexOf('\t', pos);
      const t1 = t0 < 0 ? -1 : text.indexOf('\t', t0 + 1);
      if (t0 < 0 || t1 < 0 || t1 >= end || t0 === pos) throw new TransferFormatError(line);
      keys.push(text.slice(pos, t0));
      rx.push(intAt(text, t0 + 1, t1, line));
      tx.push(intAt(text, t1 + 1, end, line));
    }
    pos = end + 1;
  }
  return { keys, rx, tx };
}
