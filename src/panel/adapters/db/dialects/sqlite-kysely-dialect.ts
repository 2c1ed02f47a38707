import { setTimeout as delay } from 'node:timers/promises';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
} from 'kysely';
import type {
  DatabaseConnection,
  DialectAdapter,
  Driver,
  QueryCompiler,
  QueryResult,
  SelectQueryNode,
  SqliteDialectConfig,
} from 'kysely';
import { errorProperty } from './constraint-violation.js';

/** The clock of lock waits: the real one, or one a test controls. */
export interface BusyClock {
  /** Milliseconds, for the deadline. */
  now(): number;
  /** Resolves after `ms` milliseconds (the back-off between two attempts). */
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: BusyClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

/**
 * Kysely's SqliteDialect, changed in three ways:
 * - transactions start with `begin immediate`, taking the write lock up front, so concurrent
 *   writers queue instead of failing to upgrade a read lock;
 * - a statement that meets another connection's lock (SQLITE_BUSY) is retried after an async
 *   back-off until `busyTimeoutMs` has passed. The connection's own busy_timeout is 0: SQLite's
 *   wait would block the event loop (better-sqlite3 is synchronous), and could never end when the
 *   lock holder is another connection in the same process;
 * - DDL counts as transactional (it is, on SQLite), so Kysely's migrator runs in one immediate
 *   transaction: that is its lock between panels sharing a file, and a failed migration leaves
 *   nothing behind;
 * - row locks (`.forUpdate()`, `.forShare()`, …) compile to nothing: SQLite has none, and an
 *   immediate transaction already holds the only write lock. Application code can use them freely.
 */
export class PanelSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #busyTimeoutMs: number;
  readonly #clock: BusyClock;

  constructor(config: SqliteDialectConfig, busyTimeoutMs: number, clock: BusyClock = REAL_CLOCK) {
    super(config);
    this.#config = config;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#clock = clock;
  }

  override createDriver(): Driver {
    return new BusyRetrySqliteDriver(this.#config, this.#busyTimeoutMs, this.#clock);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createQueryCompiler(): QueryCompiler {
    return new RowLockFreeSqliteQueryCompiler();
  }
}

const ROW_LOCKS = new Set([
  'ForUpdate',
  'ForShare',
  'ForKeyShare',
  'ForNoKeyUpdate',
  'NoWait',
  'SkipLocked',
]);

class RowLockFreeSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override visitSelectQuery(node: SelectQueryNode): void {
    const endModifiers = node.endModifiers?.filter(
      (m) => m.rawModifier !== undefined || m.modifier === undefined || !ROW_LOCKS.has(m.modifier),
    );
    super.visitSelectQuery({ ...node, endModifiers });
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BusyRetrySqliteDriver extends SqliteDriver {
  readonly #busyTimeoutMs: number;
  readonly #clock: BusyClock;
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(config: SqliteDialectConfig, busyTimeoutMs: number, clock: BusyClock) {
    super(config);
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#clock = clock;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let wrapped = this.#wrapped.get(connection);
    if (!wrapped) {
      const timeoutMs = this.#busyTimeoutMs;
      const clock = this.#clock;
      wrapped = {
        executeQuery: <R>(query: CompiledQuery) =>
          retryWhileBusy(() => connection.executeQuery<R>(query), timeoutMs, clock),
        streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
          connection.streamQuery<R>(query, chunkSize),
      };
      this.#wrapped.set(connection, wrapped);
    }
    return wrapped;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

async function retryWhileBusy<R>(
  run: () => Promise<QueryResult<R>>,
  timeoutMs: number,
  clock: BusyClock,
): Promise<QueryResult<R>> {
  const deadline = clock.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      // SQLITE_BUSY means the statement did not run, so running it again is safe.
      const busy = String(errorProperty(error, 'code') ?? '').startsWith('SQLITE_BUSY');
      if (!busy || clock.now() >= deadline) throw error;
      await clock.sleep(Math.min(2 ** attempt, 50) + Math.random() * 5);
    }
  }
}
