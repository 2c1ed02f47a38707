import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead.

/**
 * `peers.last_total_rx/tx` and `peers.totals_epoch`: the agent's totals of the peer (its own
 * ledger, in the dump since issue 14) that the panel last counted, and their epoch. Within one
 * epoch the next delta is total − last total; null (an agent without totals, or never seen) or
 * another epoch: the raw counters count that poll.
 */
export const peerAgentTotals: SchemaMigration = {
  name: '0007_peer_agent_totals',

  // One column per statement: SQLite alters one at a time.
  async up(db) {
    await db.schema.alterTable('peers').addColumn('last_total_rx', 'bigint').execute();
    await db.schema.alterTable('peers').addColumn('last_total_tx', 'bigint').execute();
    await db.schema.alterTable('peers').addColumn('totals_epoch', 'varchar(32)').execute();
  },

  async down(db) {
    for (const column of ['totals_epoch', 'last_total_tx', 'last_total_rx'])
      await db.schema.alterTable('peers').dropColumn(column).execute();
  },
};
