import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../src/panel/app/cluster/lease-lost.js';
import { LeaseKeeper } from '../../src/panel/app/cluster/lease-keeper.js';
import type { Fence } from '../../src/panel/app/cluster/ports.js';
import {
  assertLease,
  createClusterStore,
} from '../../src/panel/adapters/db/repos/cluster-store.js';
import pino from 'pino';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { uniqueLabel } from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

const t0 = new Date('2026-03-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe.each(DIALECTS_UNDER_TEST)('cluster leases on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it('a free lease is taken once; a takeover after expiry grows the token; renew and release', async () => {
    const store = createClusterStore(handle());
    const resource = uniqueLabel('node:');
    const both = await Promise.all([
      store.acquire(resource, 'a', at(0), at(2000)),
      store.acquire(resource, 'b', at(0), at(2000)),
    ]);
    expect(both.filter((t) => t !== null)).toEqual([1n]);
    const holder = both[0] !== null ? 'a' : 'b';
    const other = holder === 'a' ? 'b' : 'a';
    const fence: Fence = { resource, holder, token: 1n };
    expect(await store.acquire(resource, other, at(1000), at(3000))).toBeNull();
    expect(await store.renew(fence, at(1000), at(3000))).toBe(true);
    // Past its expiry (it stopped renewing): another takes it with the next token.
    expect(await store.acquire(resource, other, at(3000), at(5000))).toBe(2n);
    expect(await store.renew(fence, at(3100), at(5100))).toBe(false);
    const second: Fence = { resource, holder: other, token: 2n };
    await store.release(second, at(3200));
    expect(await store.acquire(resource, holder, at(3200), at(5200))).toBe(3n);
  });

  it('a write carrying a lost fence is refused and leaves nothing written', async () => {
    const h = handle();
    const store = createClusterStore(h);
    const resource = uniqueLabel('node:');
    const key = uniqueLabel('fenced.');
    expect(await store.acquire(resource, 'a', at(0), at(2000))).toBe(1n);
    const fence: Fence = { resource, holder: 'a', token: 1n };
    const write = (now: Date) =>
      h.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('settings')
          .values({ key, value: now.toISOString(), updated_at: now })
          .execute();
        await assertLease(trx, fence, now);
      });
    // Expired (the writer was paused past its lease), nobody took it yet: refused.
    await expect(write(at(2500))).rejects.toBeInstanceOf(LeaseLostError);
    // Taken by another panel: refused even with the writer's clock behind.
    expect(await store.acquire(resource, 'b', at(2600), at(4600))).toBe(2n);
    await expect(write(at(1000))).rejects.toBeInstanceOf(LeaseLostError);
    const rows = await h.db.selectFrom('settings').selectAll().where('key', '=', key).execute();
    expect(rows).toEqual([]);
  });

  it.skipIf(target.name === 'sqlite')(
    'a takeover waits for a fenced write in flight, which then commits before it',
    async () => {
      const h = handle();
      const store = createClusterStore(h);
      const resource = uniqueLabel('node:');
      const key = uniqueLabel('fenced.');
      expect(await store.acquire(resource, 'a', at(0), at(2000))).toBe(1n);
      const fence: Fence = { resource, holder: 'a', token: 1n };
      let checked!: () => void;
      const inside = new Promise<void>((r) => (checked = r));
      let finish!: () => void;
      const hold = new Promise<void>((r) => (finish = r));
      const order: string[] = [];
      const writing = h.db.transaction().execute(async (trx) => {
        await assertLease(trx, fence, at(1900));
        checked();
        await hold;
        await trx
          .insertInto('settings')
          .values({ key, value: 'a', updated_at: at(1900) })
          .execute();
        order.push('write');
      });
      await inside;
      const taking = store.acquire(resource, 'b', at(2100), at(4100)).then((t) => {
        order.push('takeover');
        return t;
      });
      // The takeover is blocked by the row lock: let the write finish, then both resolve.
      await new Promise((r) => setTimeout(r, 200));
      expect(order).toEqual([]);
      finish();
      await writing;
      expect(await taking).toBe(2n);
      expect(order).toEqual(['write', 'takeover']);
    },
  );

  it('three keepers share 30 nodes 10/10/10 and a dead one’s nodes go to the others', async () => {
    const h = handle();
    const store = createClusterStore(h);
    const prefix = uniqueLabel('n');
    // Node ids of this test only: the lease rows of other tests' resources are left alone.
    const ids = Array.from({ length: 30 }, (_, i) => 1000 + i);
    let now = at(0);
    const keepers = ['a', 'b', 'c'].map(
      (p) =>
        new LeaseKeeper({
          store,
          panel: { id: `${prefix}-${p}`, host: 'test' },
          nodeIds: async () => ids,
          leaseMs: () => 2000,
          now: () => now,
          logger: pino({ level: 'silent' }),
        }),
    );
    for (let round = 0; round < 3; round++) {
      for (const k of keepers) await k.pass();
      now = at(now.getTime() - t0.getTime() + 500);
    }
    expect(keepers.map((k) => k.heldNodes().length)).toEqual([10, 10, 10]);
    const all = keepers.flatMap((k) => k.heldNodes()).sort((a, b) => a - b);
    expect(all).toEqual(ids);
    expect(keepers.filter((k) => k.holdsJobs())).toHaveLength(1);
    // `c` dies: after its lease (2 s) the other two take its nodes within one more pass each.
    const [a, b] = keepers as [LeaseKeeper, LeaseKeeper, LeaseKeeper];
    for (let step = 0; step < 6; step++) {
      now = at(now.getTime() - t0.getTime() + 500);
      await a.pass();
      await b.pass();
    }
    expect(a.heldNodes().length + b.heldNodes().length).toBe(30);
    expect(Math.abs(a.heldNodes().length - b.heldNodes().length)).toBe(0);
    expect([a, b].filter((k) => k.holdsJobs())).toHaveLength(1);
    await a.stop();
    await b.stop();
    const rows = await store.leases('node:');
    expect(
      rows.filter((r) => ids.includes(Number(r.resource.slice(5))) && r.expiresAt > now),
    ).toEqual([]);
  });
});
