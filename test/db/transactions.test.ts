import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { createConfiguration, createPeer, fakeKey, uniqueLabel } from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

describe.each(DIALECTS_UNDER_TEST)('transactions on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it('a failed bulk add leaves nothing half-written', async () => {
    const h = handle();
    const nodeName = uniqueLabel('node');
    const duplicateKey = fakeKey();

    await expect(
      h.db.transaction().execute(async (trx) => {
        const nodeId = await h.insertReturningId(
          'nodes',
          { name: nodeName, url: 'https://192.0.2.1:8787', token: 't', fingerprint: 'f' },
          trx,
        );
        const configurationId = await h.insertReturningId(
          'configurations',
          {
            node_id: nodeId,
            name: nodeName,
            interface_name: 'wg0',
            address: '10.1.0.1/24',
            listen_port: 51820,
            public_key: fakeKey(),
          },
          trx,
        );
        for (const host of [2, 3, 4]) {
          await trx
            .insertInto('peers')
            .values({
              configuration_id: configurationId,
              public_key: host === 4 ? duplicateKey : fakeKey(),
              allowed_ip: `10.1.0.${host}/32`,
            })
            .execute();
        }
        // The fourth peer repeats the third's key: the unique constraint fails the whole add.
        await trx
          .insertInto('peers')
          .values({
            configuration_id: configurationId,
            public_key: duplicateKey,
            allowed_ip: '10.1.0.5/32',
          })
          .execute();
      }),
    ).rejects.toThrow();

    expect(
      await h.db.selectFrom('nodes').select('id').where('name', '=', nodeName).execute(),
    ).toEqual([]);
    expect(
      await h.db.selectFrom('configurations').select('id').where('name', '=', nodeName).execute(),
    ).toEqual([]);
    expect(
      await h.db.selectFrom('peers').select('id').where('public_key', '=', duplicateKey).execute(),
    ).toEqual([]);
  });

  it('an error thrown by application code rolls back a ledger update', async () => {
    const h = handle();
    const configurationId = await createConfiguration(h);
    const peers = [
      await createPeer(h, configurationId, { period_rx: 100n }),
      await createPeer(h, configurationId, { period_rx: 200n }),
    ];

    await expect(
      h.db.transaction().execute(async (trx) => {
        for (const id of peers) {
          await trx
            .updateTable('peers')
            .set((eb) => ({ period_rx: eb('period_rx', '+', 2n ** 40n) }))
            .where('id', '=', id)
            .execute();
        }
        throw new Error('policy failed after the ledger update');
      }),
    ).rejects.toThrow('policy failed');

    const rows = await h.db
      .selectFrom('peers')
      .select('period_rx')
      .where('configuration_id', '=', configurationId)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([{ period_rx: 100n }, { period_rx: 200n }]);
  });

  it('a transaction that succeeds commits every write', async () => {
    const h = handle();
    const configurationId = await createConfiguration(h);
    await h.db.transaction().execute(async (trx) => {
      const peerId = await h.insertReturningId(
        'peers',
        { configuration_id: configurationId, public_key: fakeKey(), allowed_ip: '10.2.0.2/32' },
        trx,
      );
      await trx
        .insertInto('peer_events')
        .values({ type: 'restored', peer_id: peerId, configuration_id: configurationId })
        .execute();
    });
    const events = await h.db
      .selectFrom('peer_events')
      .innerJoin('peers', 'peers.id', 'peer_events.peer_id')
      .select(['peer_events.type', 'peers.allowed_ip'])
      .where('peer_events.configuration_id', '=', configurationId)
      .execute();
    expect(events).toEqual([{ type: 'restored', allowed_ip: '10.2.0.2/32' }]);
  });

  it('concurrent read-modify-write transactions lose no update', async () => {
    const h = handle();
    const peerId = await createPeer(h, await createConfiguration(h));
    const add = (delta: bigint) =>
      h.db.transaction().execute(async (trx) => {
        // Row lock where the dialect has them; SQLite's immediate transactions serialize anyway.
        const row = await trx
          .selectFrom('peers')
          .select('lifetime_rx')
          .where('id', '=', peerId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('peers')
          .set({ lifetime_rx: row.lifetime_rx + delta })
          .where('id', '=', peerId)
          .execute();
      });
    await Promise.all(Array.from({ length: 10 }, () => add(2n ** 50n)));
    const row = await h.db
      .selectFrom('peers')
      .select('lifetime_rx')
      .where('id', '=', peerId)
      .executeTakeFirstOrThrow();
    expect(row.lifetime_rx).toBe(10n * 2n ** 50n);
  });
});
