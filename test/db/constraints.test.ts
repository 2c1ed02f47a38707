import { describe, expect, it } from 'vitest';
import type { ConstraintViolation, DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import {
  createConfiguration,
  createNode,
  createPeer,
  fakeKey,
  uniqueLabel,
} from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

/** Runs `write`, expecting it to fail with the given kind of constraint violation. */
async function expectViolation(
  handle: DatabaseHandle,
  kind: ConstraintViolation,
  write: () => Promise<unknown>,
): Promise<void> {
  const error: unknown = await write().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a ${kind} violation from ${write.toString()}`).toBeDefined();
  expect(handle.dialect.constraintViolation(error)).toBe(kind);
}

describe.each(DIALECTS_UNDER_TEST)('constraints on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it('node, configuration and user names are unique', async () => {
    const h = handle();
    const name = uniqueLabel('node');
    await createNode(h, { name });
    await expectViolation(h, 'unique', () => createNode(h, { name }));

    const cfg = uniqueLabel('cfg');
    await createConfiguration(h, { name: cfg });
    await expectViolation(h, 'unique', () => createConfiguration(h, { name: cfg }));

    const nodeId = await createNode(h);
    await createConfiguration(h, { node_id: nodeId, interface_name: 'wg7' });
    await expectViolation(h, 'unique', () =>
      createConfiguration(h, { node_id: nodeId, interface_name: 'wg7' }),
    );

    const username = uniqueLabel('admin');
    await h.insertReturningId('users', { username, password_hash: 'x' });
    await expectViolation(h, 'unique', () =>
      h.insertReturningId('users', { username, password_hash: 'y' }),
    );
  });

  it('a public key and an address are unique within a configuration, not across', async () => {
    const h = handle();
    const first = await createConfiguration(h);
    const second = await createConfiguration(h);
    const key = fakeKey();
    await createPeer(h, first, { public_key: key, allowed_ip: '10.9.0.2/32' });

    await expectViolation(h, 'unique', () => createPeer(h, first, { public_key: key }));
    await expectViolation(h, 'unique', () => createPeer(h, first, { allowed_ip: '10.9.0.2/32' }));
    // A restricted peer keeps its address reserved.
    await h.db
      .updateTable('peers')
      .set({ status: 'restricted', restriction_reason: 'manual' })
      .where('public_key', '=', key)
      .execute();
    await expectViolation(h, 'unique', () => createPeer(h, first, { allowed_ip: '10.9.0.2/32' }));

    await createPeer(h, second, { public_key: key, allowed_ip: '10.9.0.2/32' });
  });

  it('text is compared case-sensitively everywhere (base64 keys differ by case)', async () => {
    const h = handle();
    const configurationId = await createConfiguration(h);
    const key = `${'a'.repeat(43)}=`;
    await createPeer(h, configurationId, { public_key: key });
    await createPeer(h, configurationId, { public_key: key.toUpperCase() });
    const found = await h.db
      .selectFrom('peers')
      .select('public_key')
      .where('configuration_id', '=', configurationId)
      .where('public_key', '=', key)
      .execute();
    expect(found).toEqual([{ public_key: key }]);

    const name = uniqueLabel('Node');
    await createNode(h, { name });
    await createNode(h, { name: name.toLowerCase() });
  });

  it('api key hashes and session tokens are unique', async () => {
    const h = handle();
    const keyHash = uniqueLabel('hash');
    await h.insertReturningId('api_keys', { key_hash: keyHash, key_prefix: 'abc' });
    await expectViolation(h, 'unique', () =>
      h.insertReturningId('api_keys', { key_hash: keyHash, key_prefix: 'abc' }),
    );
    const userId = await h.insertReturningId('users', {
      username: uniqueLabel('u'),
      password_hash: 'x',
    });
    const session = { token_hash: uniqueLabel('t'), user_id: userId, expires_at: new Date() };
    await h.db.insertInto('sessions').values(session).execute();
    await expectViolation(h, 'unique', () => h.db.insertInto('sessions').values(session).execute());
  });

  it('status, reason, threshold and reset schedule only take valid combinations', async () => {
    const h = handle();
    const configurationId = await createConfiguration(h);
    const bad: Array<Record<string, unknown>> = [
      { status: 'deleted' },
      { status: 'restricted' }, // without a reason
      { status: 'restricted', restriction_reason: 'bored' },
      { status: 'active', restriction_reason: 'manual' },
      { traffic_warn_threshold: 0 },
      { traffic_warn_threshold: 101 },
      { reset_schedule: 'hourly' },
      { reset_schedule: 'weekly', reset_anchor: 0 },
      { reset_schedule: 'weekly', reset_anchor: 8 },
      { reset_schedule: 'monthly', reset_anchor: 0 },
      { reset_schedule: 'none', reset_anchor: 1 },
      { last_raw_rx: 5n }, // without last_raw_tx
      { last_raw_rx: -1n, last_raw_tx: 0n },
    ];
    for (const row of bad) {
      await expectViolation(h, 'check', () => createPeer(h, configurationId, row)).catch(
        (e: unknown) => {
          throw new Error(
            `accepted ${JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}: ${String(e)}`,
          );
        },
      );
    }
    await createPeer(h, configurationId, { status: 'restricted', restriction_reason: 'expired' });
    await createPeer(h, configurationId, { reset_schedule: 'monthly', reset_anchor: 31 });
    await createPeer(h, configurationId, { reset_schedule: 'weekly', reset_anchor: 7 });
    await expectViolation(h, 'check', () => createNode(h, { status: 'maybe' as 'online' }));
  });

  it('references must exist; deleting a node cascades, events keep their history', async () => {
    const h = handle();
    await expectViolation(h, 'foreign_key', () => createPeer(h, 987654321));

    const nodeId = await createNode(h);
    const configurationId = await createConfiguration(h, { node_id: nodeId });
    const peerId = await createPeer(h, configurationId, { name: 'John’s Phone' });
    await h.db
      .insertInto('peer_usage_minute')
      .values({ peer_id: peerId, bucket_start: new Date('2030-01-01T00:00:00Z'), rx: 1n, tx: 2n })
      .execute();
    const eventId = await h.insertReturningId('peer_events', {
      type: 'restricted',
      peer_id: peerId,
      configuration_id: configurationId,
      node_id: nodeId,
      peer_name: 'John’s Phone',
    });

    await h.db.deleteFrom('nodes').where('id', '=', nodeId).execute();

    expect(
      await h.db
        .selectFrom('configurations')
        .select('id')
        .where('id', '=', configurationId)
        .execute(),
    ).toEqual([]);
    expect(await h.db.selectFrom('peers').select('id').where('id', '=', peerId).execute()).toEqual(
      [],
    );
    expect(
      await h.db
        .selectFrom('peer_usage_minute')
        .select('peer_id')
        .where('peer_id', '=', peerId)
        .execute(),
    ).toEqual([]);
    const event = await h.db
      .selectFrom('peer_events')
      .select(['peer_id', 'configuration_id', 'node_id', 'peer_name'])
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      peer_id: null,
      configuration_id: null,
      node_id: null,
      peer_name: 'John’s Phone',
    });
  });

  it('a usage sample is unique per peer and bucket', async () => {
    const h = handle();
    const peerId = await createPeer(h, await createConfiguration(h));
    const sample = {
      peer_id: peerId,
      bucket_start: new Date('2030-01-01T01:00:00Z'),
      rx: 5n,
      tx: 6n,
    };
    await h.db.insertInto('peer_usage_hour').values(sample).execute();
    await expectViolation(h, 'unique', () =>
      h.db.insertInto('peer_usage_hour').values(sample).execute(),
    );
  });
});
