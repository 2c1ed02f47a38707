import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `peers.download_bps` / `peers.upload_bps`: the peer's speed limits in bits per second, from the
 * peer's point of view (download = what the node sends it); null = not limited. The agent
 * enforces them with tc (issue 15).
 */
export const peerRateLimits: SchemaMigration = {
  name: '0009_peer_rate_limits',

  // One column per statement: SQLite alters one at a time.
  async up(db) {
    await db.schema.alterTable('peers').addColumn('download_bps', 'bigint').execute();
    await db.schema.alterTable('peers').addColumn('upload_bps', 'bigint').execute();
  },

  async down(db) {
    for (const column of ['upload_bps', 'download_bps'])
      await db.schema.alterTable('peers').dropColumn(column).execute();
  },
};
