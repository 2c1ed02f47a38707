import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectDatabase,
  openDatabase,
  type BusyClock,
} from '../../src/panel/adapters/db/index.js';
import { waitFor } from '../support/wait-for.js';
import { createNode } from './support/fixtures.js';

/** A lock-wait clock that counts the back-offs; `fake` moves its own time instead of waiting. */
function countingClock(fake: boolean) {
  let t = 0;
  const c = {
    sleeps: 0,
    slept: 0,
    now: () => (fake ? t : Date.now()),
    async sleep(ms: number) {
      c.sleeps++;
      c.slept += ms;
      if (fake) {
        t += ms;
        await new Promise<void>((r) => setImmediate(r));
      } else await new Promise<void>((r) => setTimeout(r, ms));
    },
  } satisfies BusyClock & { sleeps: number; slept: number };
  return c;
}

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

  /** Connection `a` inside a write transaction until `release` is called. */
  async function holdWriteLock(a: ReturnType<typeof openDatabase>, name?: string) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const done = a.db.transaction().execute(async (trx) => {
      await createNode(a, name ? { name } : {}, trx);
      started();
      await held;
    });
    await inside;
    return { release, done };
  }

  it('a writer waits for another connection’s transaction without blocking the event loop', async () => {
    const clock = countingClock(false);
    const a = openDatabase(url);
    const b = openDatabase(url, { busyClock: clock });
    try {
      const lock = await holdWriteLock(a, 'held-by-a');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const writeB = createNode(b, { name: 'written-by-b' });
      // B backs off and tries again while timers keep firing: the loop is free.
      await waitFor('b to retry while timers run', () =>
        clock.sleeps >= 3 && ticks >= 3 ? true : undefined,
      );
      clearInterval(ticker);
      lock.release();
      await lock.done;
      await writeB;
      const names = await b.db.selectFrom('nodes').select('name').orderBy('id').execute();
      expect(names.map((n) => n.name)).toEqual(['held-by-a', 'written-by-b']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('gives up with SQLITE_BUSY once busyTimeoutMs has passed on its clock', async () => {
    const clock = countingClock(true);
    const a = openDatabase(url);
    const b = openDatabase(url, { busyTimeoutMs: 150, busyClock: clock });
    try {
      const lock = await holdWriteLock(a);
      await expect(createNode(b)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      // It waited out the timeout (on its clock), and not a back-off (≤ 55 ms) longer.
      expect(clock.slept).toBeGreaterThanOrEqual(150);
      expect(clock.slept).toBeLessThan(150 + 55);
      expect(clock.sleeps).toBeGreaterThan(3);
      lock.release();
      await lock.done;
      // The lock gone, the same connection writes at once.
      const before = clock.sleeps;
      await createNode(b, { name: 'after' });
      expect(clock.sleeps).toBe(before);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
