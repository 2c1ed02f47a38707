import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase, openDatabase } from '../../src/panel/adapters/db/index.js';
import { createNode } from './support/fixtures.js';

// Two panels (or a panel and an admin command) on one SQLite file. better-sqlite3 is synchronous,
// so lock waits must not block the event loop: they are async retries.
describe('sqlite write locks between connections', () => {
  let dir: string;
  let url: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-lock-'));
    url = `sqlite:${join(dir, 'panel.db')}`;
    await (await connectDatabase(url)).close();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a writer waits for another connection’s transaction without blocking the event loop', async () => {
    const a = openDatabase(url);
    const b = openDatabase(url);
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      let releaseA!: () => void;
      const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
      let aStarted!: () => void;
      const aInside = new Promise<void>((resolve) => (aStarted = resolve));
      const txA = a.db.transaction().execute(async (trx) => {
        await createNode(a, { name: 'held-by-a' }, trx);
        aStarted();
        await aHolds;
      });
      await aInside;
      const writeB = createNode(b, { name: 'written-by-b' });
      await delay(100);
      releaseA();
      await txA;
      await writeB;
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(5);
      const names = await b.db.selectFrom('nodes').select('name').orderBy('id').execute();
      expect(names.map((n) => n.name)).toEqual(['held-by-a', 'written-by-b']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('gives up with SQLITE_BUSY after busyTimeoutMs', async () => {
    const a = openDatabase(url);
    const b = openDatabase(url, { busyTimeoutMs: 150 });
    try {
      let releaseA!: () => void;
      const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
      let aStarted!: () => void;
      const aInside = new Promise<void>((resolve) => (aStarted = resolve));
      const txA = a.db.transaction().execute(async (trx) => {
        await createNode(a, {}, trx);
        aStarted();
        await aHolds;
      });
      await aInside;
      const started = Date.now();
      await expect(createNode(b)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      releaseA();
      await txA;
    } finally {
      await a.close();
      await b.close();
    }
  });
});
