import type { Kysely, Transaction } from 'kysely';
import type { PeerChanges, PeerWriteEvent, PeerWriter } from '../../../app/peers/ports.js';
import { nameSortKey } from '../../../domain/name-sort-key.js';
import type { Database } from '../schema/database.js';
import { openPeerRows, PEER_SECRET_COLUMNS, sealPeerRow } from '../secrets/secret-bindings.js';
import type { SecretCipher } from '../secrets/secret-cipher.js';
import type { EventJournal } from './notifications/event-journal.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Every address string of a configuration's peers (active and restricted): one query. */
export async function allowedIps(db: Db, configurationId: number) {
  const rows = await db
    .selectFrom('peers')
    .select(['id', 'allowed_ip'])
    .where('configuration_id', '=', configurationId)
    .execute();
  return rows.map((r) => ({ id: r.id, allowedIp: r.allowed_ip }));
}

/** The row with the sort key of its name, when it sets a name. */
const withSortKey = <R extends { name?: string }>(row: R): R & { name_sort_key?: string } =>
  row.name === undefined ? row : { ...row, name_sort_key: nameSortKey(row.name) };

/**
 * Before peers leave their subscribers (deleted or unassigned), their usage in the subscriber's
 * period (and in its day) moves to the subscriber's carried bytes: its total does not drop.
 */
export async function carryUsageOf(trx: Transaction<Database>, ids: readonly number[]) {
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom('peers')
      .select([
        'subscriber_id',
        'lifetime_rx',
        'lifetime_tx',
        'subscriber_base_rx',
        'subscriber_base_tx',
        'subscriber_day_base',
      ])
      .where('id', 'in', ids.slice(i, i + 500))
      .where('subscriber_id', 'is not', null)
      .execute();
    const by = new Map<number, { rx: bigint; tx: bigint; day: bigint }>();
    for (const r of rows) {
      const s = by.get(r.subscriber_id as number) ?? { rx: 0n, tx: 0n, day: 0n };
      s.rx += r.lifetime_rx - r.subscriber_base_rx;
      s.tx += r.lifetime_tx - r.subscriber_base_tx;
      s.day += r.lifetime_rx + r.lifetime_tx - r.subscriber_day_base;
      by.set(r.subscriber_id as number, s);
    }
    for (const [id, s] of [...by].sort((a, b) => a[0] - b[0]))
      await trx
        .updateTable('subscribers')
        .set((eb) => ({
          carried_rx: eb('carried_rx', '+', s.rx),
          carried_tx: eb('carried_tx', '+', s.tx),
          day_carried: eb('day_carried', '+', s.day),
        }))
        .where('id', '=', id)
        .execute();
  }
}

const pickSecrets = (row: PeerChanges) => ({
  private_key: row.private_key,
  preshared_key: row.preshared_key,
});

/**
 * `PeerWriter` inside one transaction; `secrets` seals the keys written and opens those read;
 * events go through the journal (stored with their notifications).
 */
export function peerWriter(
  trx: Transaction<Database>,
  secrets: SecretCipher,
  journal: EventJournal,
): PeerWriter {
  const writer: PeerWriter = {
    async lockConfiguration(configurationId) {
      await trx
        .selectFrom('configurations')
        .select('id')
        .where('id', '=', configurationId)
        .forUpdate()
        .execute();
    },
    async lockSubscriber(subscriberId) {
      const rows = await trx
        .selectFrom('subscribers')
        .select('id')
        .where('id', '=', subscriberId)
        .forUpdate()
        .execute();
      return rows.length > 0;
    },
    allowedIps: (configurationId) => allowedIps(trx, configurationId),
    async existingKeys(configurationId, keys) {
      if (keys.length === 0) return [];
      const rows = await trx
        .selectFrom('peers')
        .select('public_key')
        .where('configuration_id', '=', configurationId)
        .where('public_key', 'in', [...keys])
        .execute();
      return rows.map((r) => r.public_key);
    },
    async insertPeers(rows) {
      // Chunks keep every dialect under its bound-parameter limit.
      for (let i = 0; i < rows.length; i += 200)
        await trx
          .insertInto('peers')
          .values(rows.slice(i, i + 200).map((r) => sealPeerRow(secrets, withSortKey(r))))
          .execute();
    },
    async peersByKeys(configurationId, keys) {
      if (keys.length === 0) return [];
      const rows = await trx
        .selectFrom('peers')
        .selectAll()
        .where('configuration_id', '=', configurationId)
        .where('public_key', 'in', [...keys])
        .forUpdate()
        .execute();
      return openPeerRows(secrets, rows);
    },
    async updatePeer(id, patch) {
      // Sealed keys are bound to (configuration, public key): those never change on a peer.
      if (patch.configuration_id !== undefined || patch.public_key !== undefined)
        throw new Error("a peer's configuration and public key cannot be changed");
      const row = { ...withSortKey(patch) }; // a copy: the caller keeps its clear values
      if (PEER_SECRET_COLUMNS.some((c) => row[c] !== undefined && row[c] !== null)) {
        const identity = await trx
          .selectFrom('peers')
          .select(['configuration_id', 'public_key'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (!identity) return;
        const sealed = sealPeerRow(secrets, { ...identity, ...pickSecrets(row) });
        for (const c of PEER_SECRET_COLUMNS) if (row[c] !== undefined) row[c] = sealed[c];
      }
      await trx.updateTable('peers').set(row).where('id', '=', id).execute();
    },
    async deletePeers(ids) {
      await carryUsageOf(trx, ids);
      for (let i = 0; i < ids.length; i += 500)
        await trx
          .deleteFrom('peers')
          .where('id', 'in', ids.slice(i, i + 500))
          .execute();
    },
    addEvent: (e) => addEvents([e]),
    addEvents: (events) => addEvents(events),
  };
  return writer;
  async function addEvents(events: readonly PeerWriteEvent[]) {
    await journal.record(
      trx,
      events.map((e) => ({
        type: e.type,
        peerId: e.peer.id,
        configurationId: e.configuration.id,
        nodeId: e.configuration.node.id,
        peerName: e.peer.name,
        peerPublicKey: e.peer.public_key,
        message: e.message,
        values: e.data,
        at: e.at,
      })),
    );
  }
}
