import mysql from 'mysql2/promise';
import { migrateToLatest, openDatabase } from '../../../src/panel/adapters/db/index.js';

/**
 * A MariaDB database the suite migrated once, as its clones need it: each table's own
 * `SHOW CREATE TABLE` (columns, keys, foreign keys, checks) and the tables holding rows (the
 * migrator's records). Migrating takes 2–6 s on MariaDB (its DDL commits one by one), a clone
 * under 1 s; the migration tests still migrate empty databases.
 */
export interface MariadbTemplate {
  readonly database: string;
  readonly createTables: readonly string[];
  readonly tablesWithRows: readonly string[];
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Creates `database`, migrates it to the latest schema and reads what its clones need. */
export async function makeMariadbTemplate(
  adminUrl: string,
  database: string,
): Promise<MariadbTemplate> {
  const connection = await mysql.createConnection({ uri: adminUrl });
  try {
    await connection.query(`create database ${quote(database)}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const handle = openDatabase(url.toString());
    try {
      await migrateToLatest(handle);
    } finally {
      await handle.close();
    }
    const [tables] = await connection.query<mysql.RowDataPacket[]>(
      `select table_name as name from information_schema.tables
        where table_schema = ? and table_type = 'BASE TABLE' order by table_name`,
      [database],
    );
    const createTables: string[] = [];
    const tablesWithRows: string[] = [];
    for (const { name } of tables as { name: string }[]) {
      const [[created]] = await connection.query<mysql.RowDataPacket[]>(
        `show create table ${quote(database)}.${quote(name)}`,
      );
      createTables.push(String(created!['Create Table']));
      const [[count]] = await connection.query<mysql.RowDataPacket[]>(
        `select count(*) as n from ${quote(database)}.${quote(name)}`,
      );
      if (Number(count!.n) > 0) tablesWithRows.push(name);
    }
    return { database, createTables, tablesWithRows };
  } finally {
    await connection.end();
  }
}

/** Creates `database` as a copy of the template: its tables, then the template's rows. */
export async function cloneMariadbTemplate(
  adminUrl: string,
  template: MariadbTemplate,
  database: string,
): Promise<void> {
  const connection = await mysql.createConnection({ uri: adminUrl, multipleStatements: true });
  try {
    await connection.query(
      [
        `create database ${quote(database)}`,
        `use ${quote(database)}`,
        // The tables reference one another: checked once all are there.
        'set foreign_key_checks = 0',
        ...template.createTables,
        ...template.tablesWithRows.map(
          (t) => `insert into ${quote(t)} select * from ${quote(template.database)}.${quote(t)}`,
        ),
        'set foreign_key_checks = 1',
      ].join(';\n'),
    );
  } finally {
    await connection.end();
  }
}

export async function dropMariadbDatabase(adminUrl: string, database: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: adminUrl });
  try {
    await connection.query(`drop database if exists ${quote(database)}`);
  } finally {
    await connection.end();
  }
}
