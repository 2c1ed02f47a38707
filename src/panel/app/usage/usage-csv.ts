/** One CSV field: quoted when it holds a comma, quote or line break; formulas defused. */
export function csvField(value: string | number | bigint | null): string {
  if (value === null) return '';
  let s = String(value);
  // A name like =HYPERLINK(…) must not run as a formula when the file is opened in a spreadsheet.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Lines of CSV (CRLF, RFC 4180) from a header and rows. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | bigint | null)[])[],
): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
