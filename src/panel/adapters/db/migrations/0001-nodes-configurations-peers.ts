import { sql } from 'kysely';
import type { SchemaMigration } from './schema-migration.js';

// Frozen once released: never edit, add a new migration instead. The value lists of its CHECKs
// (node and peer status, restriction reason, reset schedule) are written out, not imported from
// domain/vocabulary.ts: this migration must keep producing the same DDL whatever the domain lists
// become. A new migration that changes a list takes it from the domain (check-values.ts).

/** Nodes, their interfaces (configurations) and one table for all peers, with the usage ledger. */
export const nodesConfigurationsPeers: SchemaMigration = {
  name: '0001_nodes_configurations_peers',

  async up(db, ddl) {
    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('nodes'))
          .addColumn('name', 'varchar(64)', (c) => c.notNull())
          .addColumn('url', 'varchar(512)', (c) => c.notNull())
          .addColumn('token', 'varchar(512)', (c) => c.notNull())
          .addColumn('fingerprint', 'varchar(128)', (c) => c.notNull())
          .addColumn('public_host', 'varchar(255)')
          .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('offline'))
          .addColumn('last_seen_at', ddl.timestamp)
          .addColumn('last_error', 'text')
          .addColumn('agent_version', 'varchar(64)')
          .addColumn('rtt_ms', 'integer')
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addUniqueConstraint('nodes_name_key', ['name'])
          .addCheckConstraint('nodes_status_check', sql`status in ('online', 'offline')`),
      )
      .execute();

    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('configurations'))
          .addColumn('node_id', 'integer', (c) => c.notNull())
          .addColumn('name', 'varchar(64)', (c) => c.notNull())
          .addColumn('interface_name', 'varchar(15)', (c) => c.notNull())
          .addColumn('address', 'varchar(512)', (c) => c.notNull())
          .addColumn('listen_port', 'integer', (c) => c.notNull())
          .addColumn('public_key', 'varchar(64)', (c) => c.notNull())
          .addColumn('mtu', 'integer')
          .addColumn('dns', 'varchar(255)')
          .addColumn('endpoint_allowed_ip', 'varchar(512)')
          .addColumn('keepalive', 'integer')
          .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addUniqueConstraint('configurations_name_key', ['name'])
          .addUniqueConstraint('configurations_node_interface_key', ['node_id', 'interface_name'])
          .addForeignKeyConstraint(
            'configurations_node_id_fkey',
            ['node_id'],
            'nodes',
            ['id'],
            (f) => f.onDelete('cascade'),
          )
          .addCheckConstraint(
            'configurations_listen_port_check',
            sql`listen_port between 1 and 65535`,
          ),
      )
      .execute();

    await ddl
      .finishTable(
        ddl
          .addIdColumn(db.schema.createTable('peers'))
          .addColumn('configuration_id', 'integer', (c) => c.notNull())
          .addColumn('name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
          .addColumn('public_key', 'varchar(64)', (c) => c.notNull())
          .addColumn('private_key', 'varchar(64)')
          .addColumn('preshared_key', 'varchar(64)')
          .addColumn('allowed_ip', 'varchar(512)', (c) => c.notNull())
          .addColumn('endpoint_allowed_ip', 'varchar(512)')
          .addColumn('dns', 'varchar(255)')
          .addColumn('mtu', 'integer')
          .addColumn('keepalive', 'integer')
          .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
          .addColumn('restriction_reason', 'varchar(16)')
          .addColumn('restricted_at', ddl.timestamp)
          .addColumn('traffic_limit', 'bigint')
          .addColumn('expiry_date', ddl.timestamp)
          .addColumn('traffic_warn_threshold', 'integer', (c) => c.notNull().defaultTo(80))
          .addColumn('reset_schedule', 'varchar(16)', (c) => c.notNull().defaultTo('none'))
          .addColumn('reset_anchor', 'integer')
          .addColumn('last_raw_rx', 'bigint')
          .addColumn('last_raw_tx', 'bigint')
          .addColumn('period_rx', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('period_tx', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('lifetime_rx', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('lifetime_tx', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('period_started_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('traffic_warned', 'boolean', (c) => c.notNull().defaultTo(false))
          .addColumn('expiry_warned_for', ddl.timestamp)
          .addColumn('endpoint', 'varchar(255)')
          .addColumn('latest_handshake_at', ddl.timestamp)
          .addColumn('created_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addColumn('updated_at', ddl.timestamp, (c) => c.notNull().defaultTo(ddl.now))
          .addUniqueConstraint('peers_configuration_public_key_key', [
            'configuration_id',
            'public_key',
          ])
          .addUniqueConstraint('peers_configuration_allowed_ip_key', [
            'configuration_id',
            'allowed_ip',
          ])
          .addForeignKeyConstraint(
            'peers_configuration_id_fkey',
            ['configuration_id'],
            'configurations',
            ['id'],
            (f) => f.onDelete('cascade'),
          )
          .addCheckConstraint('peers_status_check', sql`status in ('active', 'restricted')`)
          .addCheckConstraint(
            'peers_restriction_check',
            // `is not null` matters: `null in (…)` is unknown, which a CHECK lets through.
            sql`(status = 'active' and restriction_reason is null) or (status = 'restricted' and restriction_reason is not null and restriction_reason in ('traffic_limit', 'expired', 'manual'))`,
          )
          .addCheckConstraint(
            'peers_threshold_check',
            sql`traffic_warn_threshold between 1 and 100`,
          )
          .addCheckConstraint(
            'peers_reset_check',
            sql`(reset_schedule in ('none', 'daily') and reset_anchor is null) or (reset_schedule = 'weekly' and (reset_anchor is null or reset_anchor between 1 and 7)) or (reset_schedule = 'monthly' and (reset_anchor is null or reset_anchor between 1 and 31))`,
          )
          .addCheckConstraint(
            'peers_bytes_check',
            sql`(traffic_limit is null or traffic_limit >= 0) and period_rx >= 0 and period_tx >= 0 and lifetime_rx >= 0 and lifetime_tx >= 0`,
          )
          .addCheckConstraint(
            'peers_last_raw_check',
            sql`(last_raw_rx is null and last_raw_tx is null) or (last_raw_rx is not null and last_raw_tx is not null and last_raw_rx >= 0 and last_raw_tx >= 0)`,
          ),
      )
      .execute();

    await db.schema
      .createIndex('peers_configuration_status_idx')
      .on('peers')
      .columns(['configuration_id', 'status'])
      .execute();
    await db.schema
      .createIndex('peers_expiry_date_idx')
      .on('peers')
      .column('expiry_date')
      .execute();
  },

  async down(db) {
    await db.schema.dropTable('peers').execute();
    await db.schema.dropTable('configurations').execute();
    await db.schema.dropTable('nodes').execute();
  },
};
