import type { PeerDirectory, ReportPeer } from '../../../app/usage/ports.js';
import type { DatabaseHandle } from '../open-database.js';

/** Configurations by name and peers by public key, for the usage endpoints. */
export function createUsageDirectory(handle: DatabaseHandle): PeerDirectory {
  return {
    async configurationByName(name) {
      const row = await handle.db
        .selectFrom('configurations')
        .select(['id', 'node_id'])
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? { id: row.id, nodeId: row.node_id } : null;
    },
    async peerIdsByKeys(configurationId, keys) {
      const out = new Map<string, number>();
      for (let i = 0; i < keys.length; i += 1000) {
        const rows = await handle.db
          .selectFrom('peers')
          .select(['id', 'public_key'])
          .where('configuration_id', '=', configurationId)
          .where('public_key', 'in', keys.slice(i, i + 1000))
          .execute();
        for (const r of rows) out.set(r.public_key, r.id);
      }
      return out;
    },
  };
}

/** Every peer of a configuration, by id, for reports. */
export function createReportPeers(handle: DatabaseHandle) {
  return (configurationId: number): Promise<ReportPeer[]> =>
    handle.db
      .selectFrom('peers')
      .select([
        'id',
        'name',
        'public_key',
        'allowed_ip',
        'status',
        'restriction_reason',
        'traffic_limit',
      ])
      .where('configuration_id', '=', configurationId)
      .orderBy('id')
      .execute();
}

/** Every configuration's id and name (one, when `name` is given), by name. */
export function createConfigurationList(handle: DatabaseHandle) {
  return (name?: string): Promise<{ id: number; name: string }[]> => {
    let q = handle.db.selectFrom('configurations').select(['id', 'name']);
    if (name !== undefined) q = q.where('name', '=', name);
    return q.orderBy('name').execute();
  };
}
