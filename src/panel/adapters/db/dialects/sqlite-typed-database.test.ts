import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TypedSqliteDatabase } from './sqlite-typed-database.js';

describe('TypedSqliteDatabase rows', () => {
  let db: TypedSqliteDatabase | undefined;
  afterEach(() => db?.close());

  const open = () => {
    db = new TypedSqliteDatabase(new BetterSqlite3(':memory:'));
    db.prepare(
      'create table t (id integer primary key, big bigint, at datetime, ok boolean, note text)',
    ).run([]);
    const insert = db.prepare('insert into t (big, at, ok, note) values (?, ?, ?, ?)');
    insert.run([2n ** 60n, new Date('2026-11-27T12:00:00.123Z'), true, 'a "quoted" note']);
    insert.run([null, null, false, null]);
    return db;
  };

  it('reads rows as objects with the declared types mapped', () => {
    const rows = open().prepare('select * from t order by id').all([]);
    expect(rows).toEqual([
      {
        id: 1,
        big: 2n ** 60n,
        at: new Date('2026-11-27T12:00:00.123Z'),
        ok: true,
        note: 'a "quoted" note',
      },
      { id: 2, big: null, at: null, ok: false, note: null },
    ]);
    expect(Object.keys(rows[0] as object)).toEqual(['id', 'big', 'at', 'ok', 'note']);
  });

  it('keeps any column name as an own key, the last of duplicates winning', () => {
    const [row] = open()
      .prepare(`select count(*), 1 as "a ""b"" \\ c", 2 as "__proto__", 3 as "x", 4 as "x" from t`)
      .all([]) as Record<string, unknown>[];
    expect(row).toEqual({ 'count(*)': 2n, 'a "b" \\ c': 1n, ['__proto__']: 2n, x: 4n });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.hasOwn(row as object, '__proto__')).toBe(true);
  });

  it('iterates rows the same way', () => {
    const rows = [...open().prepare('select id, at from t order by id').iterate([])];
    expect(rows).toEqual([
      { id: 1, at: new Date('2026-11-27T12:00:00.123Z') },
      { id: 2, at: null },
    ]);
  });

  it('re-reads column types once the schema changed', () => {
    const d = open();
    expect(d.prepare('select * from t where id = 2').all([])).toHaveLength(1);
    d.prepare('alter table t add column n integer').run([]);
    expect(d.prepare('select * from t where id = 2').all([])).toEqual([
      { id: 2, big: null, at: null, ok: false, note: null, n: null },
    ]);
  });
});
