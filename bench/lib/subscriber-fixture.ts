import { randomBytes, createHash } from 'node:crypto';
import type { DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import { bulkWriterFor } from '../../src/panel/adapters/db/dialects/bulk-sql.js';
import { nameSortKey } from '../../src/panel/domain/name-sort-key.js';
import type { FixtureConfiguration } from './ingest-fixture.js';

/**
 * Makes `count` subscribers (each with a limit far above what the benchmarks send, so every
 * check runs and none acts) and gives subscriber k the k-th peer of each configuration of its
 * group: the configurations are taken `perSubscriber` at a time, so each subscriber has one peer
 * on each of `perSubscriber` nodes. Answers the subscribers' ids.
 */
export async function addSubscribers(
  handle: DatabaseHandle,
  fixture: readonly FixtureConfiguration[],
  perSubscriber: number,
): Promise<number[]> {
  const groups: FixtureConfiguration[][] = [];
  for (let i = 0; i < fixture.length; i += perSubscriber)
    groups.push(fixture.slice(i, i + perSubscriber));
  const bulk = bulkWriterFor(handle.dialect.name);
  const ids: number[] = [];
  let n = 0;
  for (const group of groups) {
    const peers = Math.min(...group.map((c) => c.peerIds.length));
    for (let i = 0; i < peers; i += 500) {
      const rows = Array.from({ length: Math.min(500, peers - i) }, () => {
        const token = randomBytes(32).toString('base64url');
        const name = `customer ${n++}`;
        return {
          name,
          name_sort_key: nameSortKey(name),
          token,
          token_hash: createHash('sha256').update(token).digest('hex'),
          traffic_limit: 1n << 50n,
        };
      });
      await handle.db.insertInto('subscribers').values(rows).execute();
      const made = await handle.db
        .selectFrom('subscribers')
        .select(['id', 'name'])
        .where(
          'name',
          'in',
          rows.map((r) => r.name),
        )
        .execute();
      const idOf = new Map(made.map((r) => [r.name, r.id]));
      const sub = rows.map((r) => idOf.get(r.name) as number);
      ids.push(...sub);
      const values: unknown[][] = [];
      for (const c of group)
        for (let j = 0; j < sub.length; j++) values.push([c.peerIds[i + j], sub[j]]);
      await bulk.updateByKey(
        handle.db,
        {
          table: 'peers',
          key: { name: 'id', type: 'integer' },
          values: [{ name: 'sub', type: 'integer' }],
          assign: [{ column: 'subscriber_id', from: 'sub', op: 'set' }],
        },
        values,
      );
    }
  }
  return ids;
}
