import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest, openDatabase } from '../../src/panel/adapters/db/index.js';
import type { DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import { nameSortKey } from '../../src/panel/domain/name-sort-key.js';
import { DIALECTS_UNDER_TEST, type TestNamespace } from './support/dialects-under-test.js';
import { createConfiguration, createPeer } from './support/fixtures.js';

const NAMES = ['user 10', 'user 2', 'User 1', '', 'ünï 03', 'user 2'];

// Peers that existed before 0005 get their name's sort key; the index serves the name sort.
describe.each(DIALECTS_UNDER_TEST)('0005 peer name sort key on $name', (target) => {
  let namespace: TestNamespace;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    namespace = await target.createNamespace();
    handle = openDatabase(namespace.url);
  });
  afterAll(async () => {
    await handle?.close();
    await namespace?.drop();
  });

  it('backfills the key of every existing peer, then sorts by it byte for byte', async () => {
    await migrateTo(handle, '0004_configuration_counters_instance');
    const configurationId = await createConfiguration(handle);
    // Written as the panel before 0005 wrote them: no sort key column yet.
    const ids: number[] = [];
    for (const name of NAMES) ids.push(await createPeer(handle, configurationId, { name }));
    expect((await migrateToLatest(handle))[0]).toBe('0005_peer_name_sort_key'); // later ones follow

    const rows = await handle.db
      .selectFrom('peers')
      .select(['name', 'name_sort_key'])
      .where('configuration_id', '=', configurationId)
      .orderBy('name_sort_key')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.name)).toEqual([
      '',
      'User 1',
      'user 2',
      'user 2',
      'user 10',
      'ünï 03',
    ]);
    for (const r of rows) expect(r.name_sort_key).toBe(nameSortKey(r.name));
    // 'ü' sorts after 'z' byte for byte, whatever the database's locale would say.
    await createPeer(handle, configurationId, { name: 'zz', name_sort_key: nameSortKey('zz') });
    const last = await handle.db
      .selectFrom('peers')
      .select('name')
      .where('configuration_id', '=', configurationId)
      .orderBy('name_sort_key', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.name).toBe('ünï 03');
  });
});
