import type { DatabaseHandle, PeerInsert } from '../../../src/panel/adapters/db/index.js';
import {
  createConfiguration,
  createNode,
  createPeer,
  uniqueLabel,
} from '../../db/support/fixtures.js';

/**
 * A node whose agent refuses connections at once (port 1 on loopback), so a convergence the usage
 * area starts fails fast instead of waiting for a timeout; a configuration on it.
 */
export async function createUsageConfiguration(
  database: DatabaseHandle,
): Promise<{ nodeId: number; configurationId: number; name: string }> {
  const nodeId = await createNode(database, { url: 'https://127.0.0.1:1' });
  const name = uniqueLabel('cfg');
  const configurationId = await createConfiguration(database, { node_id: nodeId, name });
  return { nodeId, configurationId, name };
}

/** A peer of a configuration; returns its id and public key. */
export async function createUsagePeer(
  database: DatabaseHandle,
  configurationId: number,
  row: Partial<PeerInsert> = {},
): Promise<{ id: number; key: string }> {
  const id = await createPeer(database, configurationId, row);
  const { public_key } = await database.db
    .selectFrom('peers')
    .select('public_key')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, key: public_key };
}

/** A peer row as stored. */
export function peerRow(database: DatabaseHandle, id: number) {
  return database.db.selectFrom('peers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
