import type { Kysely, Transaction } from 'kysely';
import type { PeerWriter } from '../../../app/peers/ports.js';
import { nameSortKey } from '../../../domain/name-sort-key.js';
import type { Database } from '../schema/database.js';

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

/** `PeerWriter` inside one transaction. */
export function peerWriter(trx: Transaction<Database>): PeerWriter {
  return {
    async lockConfiguration(configurationId) {
      await trx
        .selectFrom('configurations')
        .select('id')
        .where('id', '=', configurationId)
        .forUpdate()
        .execute();
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
          .values(rows.slice(i, i + 200).map(withSortKey))
          .execute();
    },
    async peersByKeys(configurationId, keys) {
      if (keys.length === 0) return [];
      return trx
        .selectFrom('peers')
        .selectAll()
        .where('configuration_id', '=', configurationId)
        .where('public_key', 'in', [...keys])
        .forUpdate()
        .execute();
    },
    async updatePeer(id, patch) {
      await trx.updateTable('peers').set(withSortKey(patch)).where('id', '=', id).execute();
    },
    async deletePeers(ids) {
      for (let i = 0; i < ids.length; i += 500)
        await trx
          .deleteFrom('peers')
          .where('id', 'in', ids.slice(i, i + 500))
          .execute();
    },
    async addEvent(e) {
      await trx
        .insertInto('peer_events')
        .values({
          type: e.type,
          peer_id: e.peer.id,
          configuration_id: e.configuration.id,
          node_id: e.configuration.node.id,
          peer_name: e.peer.name,
          peer_public_key: e.peer.public_key,
          message: e.message,
          data: JSON.stringify(e.data),
          created_at: e.at,
        })
        .execute();
    },
  };
}
