import { INSTANT_TEXT } from '../../../app/peers/instant-text.js';
import { parseStoredInstant } from './sqlite-value-mapping.js';

/**
 * A query hint (an SQL comment, so harmless on every dialect): on SQLite, the statement's rows
 * are *views* over better-sqlite3's raw arrays instead of objects built up front (see
 * compileRowView). For big reads whose rows are read once, field by field: the streamed listing.
 */
export const ROW_VIEW_HINT = '/* wgfleet:row-view */';

/** Converts one raw value of a column (see converterFor), or undefined when it passes as is. */
type Converter = ((value: unknown) => unknown) | undefined;

/** Makes a view over one raw row. */
export type RowView = (values: unknown[]) => object;

/**
 * ISO text of a stored instant as `Date#toISOString` writes it. The form this adapter stores
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`) is that text already when its fields are in range: copied without
 * a Date. Anything else (CURRENT_TIMESTAMP's `YYYY-MM-DD HH:MM:SS`, a day the Date would roll
 * over, …) goes through the Date as before.
 */
export function storedInstantText(text: string, column: string): string {
  if (CANONICAL.test(text)) {
    const month = +text.slice(5, 7);
    const day = +text.slice(8, 10);
    if (
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 28 &&
      +text.slice(11, 13) < 24 &&
      +text.slice(14, 16) < 60 &&
      +text.slice(17, 19) < 60
    )
      return text;
  }
  return parseStoredInstant(text, column).toISOString();
}

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Compiles the view class of a statement's columns: `new V(r)` keeps the raw array (in a private
 * field: no column name can shadow it), and each column is a getter converting its value when
 * read (a Date only when a field asks for one), so a 40-column row costs one small object. A setter stores the value raw (the getter passes a value
 * already converted through). `[INSTANT_TEXT](column)` gives a timestamp column's ISO text
 * without a Date (storedInstantText). Columns are prototype properties, not own keys: a view is
 * read field by field, never spread or compared whole.
 */
export function compileRowView(
  columns: readonly { name: string; kind: string }[],
  converters: readonly Converter[],
): RowView {
  const accessors = columns.map((c, i) => {
    const key = JSON.stringify(c.name);
    const value = converters[i] ? `c[${i}](this.#r[${i}])` : `this.#r[${i}]`;
    return `get [${key}]() { return ${value}; } set [${key}](v) { this.#r[${i}] = v; }`;
  });
  const instants = columns
    .map((c, i) =>
      c.kind === 'timestamp'
        ? `case ${JSON.stringify(c.name)}: x = this.#r[${i}]; return typeof x === 'string' ? t(x, ${JSON.stringify(c.name)}) : x === null ? null : x.toISOString();`
        : '',
    )
    .join(' ');
  const source =
    `class V { #r; constructor(r) { this.#r = r; } ${accessors.join(' ')} ` +
    `[s](k) { let x; switch (k) { ${instants} default: return undefined; } } } ` +
    `return (r) => new V(r);`;
  return new Function('c', 's', 't', source)(
    converters,
    INSTANT_TEXT,
    storedInstantText,
  ) as RowView;
}
