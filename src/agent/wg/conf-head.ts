/**
 * Edits of a wg-quick file's `[Interface]` part, as text. Pure. Lines it does not touch (other
 * keys, comments) stay as they were.
 */

const KV = /^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/;

/** The value of `key` in the head (the first line of it), or null. */
export function headValue(head: string, key: string): string | null {
  for (const line of head.split('\n')) {
    const m = KV.exec(line);
    if (m?.[1]?.toLowerCase() === key.toLowerCase()) return m[2] ?? '';
  }
  return null;
}

/**
 * Sets keys of the head: a string replaces the key's first line (later lines of the same key are
 * dropped) or is added at the end; null removes every line of the key.
 */
export function setHeadValues(
  head: string,
  values: Readonly<Record<string, string | null>>,
): string {
  const lines = head.split('\n');
  for (const [key, value] of Object.entries(values)) {
    const lower = key.toLowerCase();
    let placed = false;
    for (let i = 0; i < lines.length; i++) {
      const m = KV.exec(lines[i] ?? '');
      if (m?.[1]?.toLowerCase() !== lower) continue;
      if (value !== null && !placed) {
        lines[i] = `${key} = ${value}`;
        placed = true;
      } else {
        lines.splice(i, 1);
        i--;
      }
    }
    if (value !== null && !placed) lines.push(`${key} = ${value}`);
  }
  return lines.join('\n');
}
