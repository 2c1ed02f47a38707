import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A throw-away database for the ingest benchmark. */
export interface BenchTarget {
  readonly dialect: 'sqlite' | 'postgres';
  /** The panel's database URL. */
  readonly url: string;
  /** SQLite: the file; PostgreSQL: a libpq URL with the schema on its search_path. */
  readonly floorTarget: string;
  drop(): Promise<void>;
}

/** A SQLite file in a new temporary folder. */
export async function sqliteTarget(): Promise<BenchTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-'));
  const file = join(dir, 'panel.db');
  return {
    dialect: 'sqlite',
    url: `sqlite:${file}`,
    floorTarget: file,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A new schema on the PostgreSQL server at `adminUrl`, or null when it does not answer. */
export async function postgresTarget(adminUrl: string): Promise<BenchTarget | null> {
  const schema = `wgf_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`create schema ${schema}`);
  } catch {
    return null;
  }
  const url = new URL(adminUrl);
  url.searchParams.set('schema', schema);
  const floor = new URL(adminUrl);
  floor.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dialect: 'postgres',
    url: url.toString(),
    floorTarget: floor.toString(),
    drop: () => admin(`drop schema if exists ${schema} cascade`),
  };
}
