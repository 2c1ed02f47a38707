/**
 * A wg-quick file as text an operator edited (WGDashboard's raw configuration editor), parsed
 * strictly: every line is a section header, `Key = Value`, a comment or blank, and each problem
 * names its line. Pure.
 */

export interface FileValue {
  readonly value: string;
  /** 1-based. */
  readonly line: number;
}

export interface FilePeer {
  /** The `[Peer]` header's line. */
  readonly line: number;
  /** Keys as written (first letter case kept), each once. */
  readonly values: ReadonlyMap<string, FileValue>;
}

export interface WgQuickFile {
  /** The `[Interface]` values, by lower-case key. */
  readonly interface: ReadonlyMap<string, FileValue>;
  readonly peers: readonly FilePeer[];
}

/** A file that cannot be read; `line` is 1-based. */
export class FileLineError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Keys that may appear more than once; their values are joined with ", " (as wg-quick does). */
const LISTS = new Set(['address', 'dns', 'allowedips', 'postup', 'postdown', 'preup', 'predown']);

const SECTION = /^\[([A-Za-z]+)\]$/;
const KV = /^([A-Za-z]+)\s*=\s*(.*)$/;

/** Parses the text; throws FileLineError naming the first line that is wrong. */
export function parseWgQuickFile(text: string): WgQuickFile {
  const iface = new Map<string, FileValue>();
  const peers: { line: number; values: Map<string, FileValue> }[] = [];
  let current: Map<string, FileValue> | null = null;
  let sawInterface = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    const section = SECTION.exec(t);
    if (section) {
      const name = section[1]!.toLowerCase();
      if (name === 'interface') {
        if (sawInterface) throw new FileLineError(line, 'a second [Interface] section');
        if (peers.length > 0)
          throw new FileLineError(line, '[Interface] must come before every [Peer]');
        sawInterface = true;
        current = iface;
      } else if (name === 'peer') {
        if (!sawInterface) throw new FileLineError(line, '[Peer] before the [Interface] section');
        const values = new Map<string, FileValue>();
        peers.push({ line, values });
        current = values;
      } else throw new FileLineError(line, `unknown section [${section[1]}]`);
      return;
    }
    const kv = KV.exec(t);
    if (!kv) throw new FileLineError(line, 'expected "Key = Value", a [Section], or a # comment');
    if (!current) throw new FileLineError(line, `"${kv[1]}" before the [Interface] section`);
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!.replace(/\s+#.*$/, '').trim();
    const had = current.get(key);
    if (had && !LISTS.has(key))
      throw new FileLineError(line, `${kv[1]} is given twice (line ${had.line} too)`);
    current.set(key, had ? { value: `${had.value}, ${value}`, line: had.line } : { value, line });
  });
  if (!sawInterface) throw new FileLineError(1, 'no [Interface] section');
  return { interface: iface, peers };
}
