import { conflict } from '../../../app/errors.js';
import { configurationNameFor } from '../../../app/nodes/adopt-interfaces.js';
import type { NodeStore, NodeSummary } from '../../../app/nodes/node-store.js';
import type { DatabaseHandle } from '../open-database.js';
import { nodeTokenBinding, openStored } from '../secrets/secret-bindings.js';
import { SEALED_PREFIX } from '../secrets/secret-cipher.js';
import { insertImportedPeers } from './fleet-imported-peers.js';
import { toSafeNumber } from '../values.js';

/** `NodeStore` over the nodes, configurations and peers tables. */
export function createFleetNodesRepo(handle: DatabaseHandle): NodeStore {
  const db = handle.db;
  const secrets = handle.secrets;
  const sealToken = (id: number, token: string) => secrets.seal(token, nodeTokenBinding(id));

  const summaries = (where?: number) => {
    let q = db
      .selectFrom('nodes')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('configurations')
            .leftJoin('peers', 'peers.configuration_id', 'configurations.id')
            .select((e) => [
              'configurations.node_id as node_id',
              e.fn.count<number>('configurations.id').distinct().as('configurations'),
              e.fn.count<number>('peers.id').as('peers'),
            ])
            .groupBy('configurations.node_id')
            .as('agg'),
        (j) => j.onRef('agg.node_id', '=', 'nodes.id'),
      )
      .select([
        'nodes.id',
        'nodes.name',
        'nodes.url',
        'nodes.public_host',
        'nodes.status',
        'nodes.last_seen_at',
        'nodes.last_error',
        'nodes.agent_version',
        'nodes.rtt_ms',
        'nodes.created_at',
        'agg.configurations',
        'agg.peers',
      ])
      .orderBy('nodes.id');
    if (where !== undefined) q = q.where('nodes.id', '=', where);
    return q.execute();
  };
  type Row = Awaited<ReturnType<typeof summaries>>[number];
  const toSummary = (r: Row): NodeSummary => ({
    id: r.id,
    name: r.name,
    url: r.url,
    publicHost: r.public_host,
    status: r.status,
    lastSeenAt: r.last_seen_at,
    lastError: r.last_error,
    agentVersion: r.agent_version,
    rttMs: r.rtt_ms,
    createdAt: r.created_at,
    configurations: r.configurations === null ? 0 : toSafeNumber(r.configurations),
    peers: r.peers === null ? 0 : toSafeNumber(r.peers),
  });

  const uniqueName = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (handle.dialect.constraintViolation(e) === 'unique')
        throw conflict(`a node named "${name}" already exists`, name, 'name');
      throw e;
    }
  };

  return {
    async list() {
      return (await summaries()).map(toSummary);
    },
    async summary(id) {
      const [r] = await summaries(id);
      return r ? toSummary(r) : null;
    },
    async credentials(id) {
      const r = await db
        .selectFrom('nodes')
        .select(['id', 'name', 'url', 'token', 'fingerprint', 'public_host', 'status'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) return null;
      return {
        ...r,
        token: openStored(secrets, r.token, nodeTokenBinding(r.id)) as string,
        publicHost: r.public_host,
      };
    },
    async ids() {
      return (await db.selectFrom('nodes').select('id').orderBy('id').execute()).map((r) => r.id);
    },
    async idByName(name) {
      const r = await db
        .selectFrom('nodes')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      return r?.id ?? null;
    },
    insertWithInterfaces(node, interfaces) {
      return db.transaction().execute(async (trx) => {
        const id = await uniqueName(node.name, () =>
          handle.insertReturningId(
            'nodes',
            {
              name: node.name,
              url: node.url,
              // Sealed for the row's id, known after the insert: set just below, in this transaction.
              token: `${SEALED_PREFIX}pending`,
              fingerprint: node.fingerprint,
              public_host: node.publicHost,
              status: 'online',
              last_seen_at: node.seenAt,
              agent_version: node.agentVersion,
              rtt_ms: node.rttMs,
            },
            trx,
          ),
        );
        await trx
          .updateTable('nodes')
          .set({ token: sealToken(id, node.token) })
          .where('id', '=', id)
          .execute();
        const taken = new Set(
          (await trx.selectFrom('configurations').select('name').execute()).map((r) => r.name),
        );
        const configurations = [];
        for (const iface of interfaces) {
          const name = configurationNameFor(iface.interfaceName, node.name, taken);
          const configurationId = await handle.insertReturningId(
            'configurations',
            {
              node_id: id,
              name,
              interface_name: iface.interfaceName,
              address: iface.address,
              listen_port: iface.listenPort,
              public_key: iface.publicKey,
              mtu: iface.mtu,
              enabled: iface.enabled,
            },
            trx,
          );
          await insertImportedPeers(trx, configurationId, iface.peers);
          configurations.push({
            id: configurationId,
            name,
            interfaceName: iface.interfaceName,
            importedPeers: iface.peers.length,
          });
        }
        return { id, configurations };
      });
    },
    async update(id, patch) {
      const values = {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.publicHost !== undefined && { public_host: patch.publicHost }),
        ...(patch.url !== undefined && { url: patch.url }),
        ...(patch.token !== undefined && { token: sealToken(id, patch.token) }),
        ...(patch.fingerprint !== undefined && { fingerprint: patch.fingerprint }),
      };
      if (Object.keys(values).length === 0) return;
      await uniqueName(patch.name ?? '', () =>
        db
          .updateTable('nodes')
          .set({ ...values, updated_at: new Date() })
          .where('id', '=', id)
          .execute(),
      );
    },
    async delete(id) {
      return db.transaction().execute(async (trx) => {
        const found = await trx
          .selectFrom('nodes')
          .select('id')
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!found) return null;
        const configurations = await trx
          .selectFrom('configurations')
          .select(['id', 'name'])
          .where('node_id', '=', id)
          .execute();
        const configurationIds = configurations.map((r) => r.id);
        // Explicit deletes: the cascade is declared too, but this does not depend on it.
        if (configurationIds.length > 0) {
          await trx.deleteFrom('peers').where('configuration_id', 'in', configurationIds).execute();
          await trx.deleteFrom('configurations').where('node_id', '=', id).execute();
        }
        await trx.deleteFrom('nodes').where('id', '=', id).execute();
        return { configurations };
      });
    },
  };
}
