import { sql } from 'kysely';
import type { ConfigurationStore } from '../../../app/configurations/configuration-store.js';
import { conflict } from '../../../app/errors.js';
import type { DatabaseHandle } from '../open-database.js';
import { toBigInt, toSafeNumber } from '../values.js';

/** `ConfigurationStore` over the configurations, nodes and peers tables. */
export function createFleetConfigurationsRepo(handle: DatabaseHandle): ConfigurationStore {
  const db = handle.db;
  const num = (v: unknown) => (v === null || v === undefined ? 0 : toSafeNumber(v));
  const big = (v: unknown) => (v === null || v === undefined ? 0n : toBigInt(v));
  return {
    async listWithStats(connectedSince, name) {
      // Peers are aggregated once per configuration in a subquery, then joined: one query,
      // no GROUP BY over the configuration's own columns (portable across the three dialects).
      let q = db
        .selectFrom('configurations as c')
        .innerJoin('nodes as n', 'n.id', 'c.node_id')
        .leftJoin(
          (eb) =>
            eb
              .selectFrom('peers as p')
              .select((e) => [
                'p.configuration_id',
                e.fn.countAll().as('total'),
                e.fn.sum(sql<number>`case when p.status = 'active' then 1 else 0 end`).as('active'),
                e.fn
                  .sum(sql<number>`case when p.status = 'restricted' then 1 else 0 end`)
                  .as('restricted'),
                e.fn
                  .sum(
                    sql<number>`case when p.latest_handshake_at >= ${connectedSince} then 1 else 0 end`,
                  )
                  .as('connected'),
                e.fn.sum('p.period_rx').as('period_rx'),
                e.fn.sum('p.period_tx').as('period_tx'),
                e.fn.sum('p.lifetime_rx').as('lifetime_rx'),
                e.fn.sum('p.lifetime_tx').as('lifetime_tx'),
              ])
              .groupBy('p.configuration_id')
              .as('agg'),
          (j) => j.onRef('agg.configuration_id', '=', 'c.id'),
        )
        .select([
          'c.id',
          'c.name',
          'c.interface_name',
          'c.address',
          'c.listen_port',
          'c.public_key',
          'c.mtu',
          'c.dns',
          'c.endpoint_allowed_ip',
          'c.keepalive',
          'c.enabled',
          'c.interface_status',
          'c.created_at',
          'n.id as node_id',
          'n.name as node_name',
          'n.status as node_status',
          'n.public_host as node_public_host',
          'n.url as node_url',
          'agg.total',
          'agg.active',
          'agg.restricted',
          'agg.connected',
          'agg.period_rx',
          'agg.period_tx',
          'agg.lifetime_rx',
          'agg.lifetime_tx',
        ])
        .orderBy('c.name');
      if (name !== undefined) q = q.where('c.name', '=', name);
      const rows = await q.execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        interfaceName: r.interface_name,
        address: r.address,
        listenPort: r.listen_port,
        publicKey: r.public_key,
        mtu: r.mtu,
        dns: r.dns,
        endpointAllowedIp: r.endpoint_allowed_ip,
        keepalive: r.keepalive,
        enabled: r.enabled,
        interfaceSeen:
          r.interface_status === 'missing' ? 'missing' : r.interface_status === 'up' ? 'up' : null,
        createdAt: r.created_at,
        node: {
          id: r.node_id,
          name: r.node_name,
          status: r.node_status,
          publicHost: r.node_public_host,
          url: r.node_url,
        },
        peers: {
          total: num(r.total),
          active: num(r.active),
          restricted: num(r.restricted),
          connected: num(r.connected),
        },
        usage: {
          periodRx: big(r.period_rx),
          periodTx: big(r.period_tx),
          lifetimeRx: big(r.lifetime_rx),
          lifetimeTx: big(r.lifetime_tx),
        },
      }));
    },
    async byName(name) {
      const r = await db
        .selectFrom('configurations as c')
        .innerJoin('nodes as n', 'n.id', 'c.node_id')
        .select([
          'c.id',
          'c.name',
          'c.interface_name as interfaceName',
          'c.enabled',
          'n.id as nodeId',
          'n.name as nodeName',
        ])
        .where('c.name', '=', name)
        .executeTakeFirst();
      return r ?? null;
    },
    async ofNode(nodeId) {
      return db
        .selectFrom('configurations')
        .select(['name', 'address', 'listen_port as listenPort'])
        .where('node_id', '=', nodeId)
        .execute();
    },
    async insert(row) {
      try {
        return await handle.insertReturningId('configurations', {
          node_id: row.nodeId,
          name: row.name,
          interface_name: row.interfaceName,
          address: row.address,
          listen_port: row.listenPort,
          public_key: row.publicKey,
          mtu: row.mtu,
          dns: row.dns,
          endpoint_allowed_ip: row.endpointAllowedIp,
          keepalive: row.keepalive,
          enabled: true,
        });
      } catch (e) {
        if (handle.dialect.constraintViolation(e) === 'unique')
          throw conflict(`Already have a configuration with the name "${row.name}"`, row.name);
        throw e;
      }
    },
    async setEnabled(id, enabled) {
      await db
        .updateTable('configurations')
        .set({ enabled, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    },
    async setPeerDefaults(id, d) {
      await db
        .updateTable('configurations')
        .set({
          ...(d.dns !== undefined && { dns: d.dns }),
          ...(d.endpointAllowedIp !== undefined && { endpoint_allowed_ip: d.endpointAllowedIp }),
          ...(d.keepalive !== undefined && { keepalive: d.keepalive }),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('peers').where('configuration_id', '=', id).execute();
        const r = await trx.deleteFrom('configurations').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },
  };
}
