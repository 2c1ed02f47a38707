import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MIGRATION_TABLE } from './migrate.js';

/** The database file a panel with this data folder opens by default. */
export const sqliteFileIn = (dataDir: string) => join(dataDir, 'wgfleet.db');

/**
 * Copies a live SQLite database to `out` with SQLite's online backup API: a consistent snapshot
 * even while a panel writes (WAL), without stopping it. The copy is written beside `out` first
 * and renamed, mode 0600 (it holds node tokens and peer keys). Returns the number of pages copied.
 */
export async function backupSqlite(source: string, out: string): Promise<number> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  const partial = `${out}.partial`;
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(partial);
    await chmod(partial, 0o600);
    await rename(partial, out);
    return totalPages;
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  } finally {
    db.close();
  }
}

/** Throws unless `file` is an intact SQLite database that a wgfleet panel has migrated. */
export function checkSqliteBackup(file: string): void {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new Error(`${file}: cannot open as SQLite (${(e as Error).message})`);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new Error(`${file}: integrity check failed: ${String(integrity)}`);
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(MIGRATION_TABLE);
    if (!table) throw new Error(`${file}: not a wgfleet database (no ${MIGRATION_TABLE} table)`);
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB')
      throw new Error(`${file}: not a SQLite database`);
    throw e;
  } finally {
    db.close();
  }
}

/**
 * Puts a backup in place as the database of the data folder `dataDir` (created 0700), refusing
 * to replace a database already there. The next panel start migrates it if it is older.
 */
export async function restoreSqlite(from: string, dataDir: string): Promise<string> {
  checkSqliteBackup(from);
  const target = sqliteFileIn(dataDir);
  for (const f of [target, `${target}-wal`])
    if (existsSync(f))
      throw new Error(
        `${f} exists: restore into a new data folder, or move the old database away first`,
      );
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const partial = `${target}.partial`;
  await copyFile(from, partial);
  await chmod(partial, 0o600);
  await rename(partial, target);
  return target;
}
