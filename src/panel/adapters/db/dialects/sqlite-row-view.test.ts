import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTANT_TEXT, instantText } from '../../../app/peers/instant-text.js';
import { ROW_VIEW_HINT, storedInstantText } from './sqlite-row-view.js';
import { TypedSqliteDatabase } from './sqlite-typed-database.js';
import { parseStoredInstant } from './sqlite-value-mapping.js';

// Stored texts of every kind: this adapter's form, CURRENT_TIMESTAMP's, days and hours a Date
// rolls over, other zones, and one that is no instant.
const TEXTS = [
  '2026-11-27T12:00:00.123Z',
  '0001-01-01T00:00:00.000Z',
  '2026-01-01 00:00:00',
  '2026-01-31T23:59:59.999Z',
  '2026-02-29T00:00:00.000Z',
  '2026-02-30T00:00:00.000Z',
  '2026-01-01T24:00:00.000Z',
  '2026-13-01T00:00:00.000Z',
  '2026-01-01T00:00:00+02:00',
  '2026-01-01T00:00:00.1234Z',
];

describe('SQLite row views', () => {
  let db: TypedSqliteDatabase | undefined;
  afterEach(() => db?.close());

  const open = () => {
    db = new TypedSqliteDatabase(new BetterSqlite3(':memory:'));
    db.prepare(
      'create table t (id integer primary key, big bigint, at datetime, ok boolean, note text)',
    ).run([]);
    const insert = db.prepare('insert into t (big, at, ok, note) values (?, ?, ?, ?)');
    insert.run([2n ** 60n + 1n, new Date('2026-11-27T12:00:00.123Z'), true, 'a "quoted" ☃']);
    insert.run([null, null, false, null]);
    for (const text of TEXTS) insert.run([-(2n ** 63n), text, 1n, text]);
    return db;
  };
  // `r` and `constructor`: names a view's own members could clash with.
  const columns = [
    'id',
    'big',
    'at',
    'ok',
    'note',
    'big + 1 as sum',
    'note as r',
    'id as "constructor"',
  ] as const;
  const read = (d: TypedSqliteDatabase, hint: string) =>
    d.prepare(`select ${columns.join(', ')} from t order by id ${hint}`).all([]) as Record<
      string,
      unknown
    >[];

  it('read every column as the row objects do, exact beyond 2^53', () => {
    const d = open();
    // Row objects convert when read: the first rows only (later ones hold invalid instants).
    const objects = (
      d.prepare(`select ${columns.join(', ')} from t where id <= 3 order by id`).all([]) as Record<
        string,
        unknown
      >[]
    ).slice(0, 3);
    const views = read(d, ROW_VIEW_HINT).slice(0, 3);
    expect(views).toHaveLength(3);
    for (const [i, view] of views.entries())
      for (const c of ['id', 'big', 'at', 'ok', 'note', 'sum', 'r', 'constructor'])
        expect(view[c], `${i} ${c}`).toEqual(objects[i]![c]);
    expect(views[0]!.big).toBe(2n ** 60n + 1n);
    expect(views[0]!.sum).toBe(2n ** 60n + 2n);
    expect(views[0]!.at).toBeInstanceOf(Date);
    expect('note' in views[0]!).toBe(true);
  });

  it('store a value set on them, read back as is', () => {
    const [view] = read(open(), ROW_VIEW_HINT);
    view!.ok = 'set';
    view!.at = new Date(0);
    expect(view!.ok).toBe('set');
    expect(view!.at).toEqual(new Date(0));
  });

  it('give a timestamp’s ISO text as toISOString writes it, without a Date when stored so', () => {
    const rows = read(open(), ROW_VIEW_HINT);
    expect(instantText(rows[0]!, 'at')).toBe('2026-11-27T12:00:00.123Z');
    expect(instantText(rows[1]!, 'at')).toBeNull();
    expect((rows[0] as Record<symbol, (c: string) => unknown>)[INSTANT_TEXT]!('note')).toBe(
      undefined,
    );
    for (const [i, text] of TEXTS.entries()) {
      const view = rows[i + 2]!;
      let expected: string | Error;
      try {
        // What a row object's Date writes (the object path parses when reading).
        expected = parseStoredInstant(text, 'at').toISOString();
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) expect(() => instantText(view, 'at'), text).toThrow(TypeError);
      else expect(instantText(view, 'at'), text).toBe(expected);
    }
  });

  it('copy only texts the Date round trip keeps', () => {
    for (const text of TEXTS) {
      let expected: string | undefined;
      try {
        expected = parseStoredInstant(text, 'at').toISOString();
      } catch {
        expected = undefined;
      }
      if (expected === undefined) expect(() => storedInstantText(text, 'at')).toThrow(TypeError);
      else expect(storedInstantText(text, 'at'), text).toBe(expected);
    }
    expect(storedInstantText('2026-01-01 00:00:00', 'at')).toBe('2026-01-01T00:00:00.000Z');
    expect(storedInstantText('2026-02-30T00:00:00.000Z', 'at')).toBe('2026-03-02T00:00:00.000Z');
  });
});
