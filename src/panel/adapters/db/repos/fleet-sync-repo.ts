import type { InterfaceStatus } from '../../../app/sync/configuration-state.js';
import type { SyncConfiguration, SyncStore } from '../../../app/sync/sync-store.js';
import { nodeStatusEvent } from '../../../app/events/node-events.js';
import { shapedSpeed, slower } from '../../../domain/policy/quotas.js';
import type { NodeStatus } from '../../../domain/vocabulary.js';
import type { DatabaseHandle } from '../open-database.js';
import { nodeTokenBinding, openStored, peerSecretBinding } from '../secrets/secret-bindings.js';
import { openMemo } from '../secrets/open-memo.js';
import type { Database } from '../schema/database.js';
import type { Kysely } from 'kysely';
import type { Fence } from '../../../app/cluster/ports.js';
import { assertLease } from './cluster-store.js';
import { createEventJournal, type EventJournal } from './notifications/event-journal.js';

const PENDING_PREFIX = 'fleet.pending_removals.';
const KEY_CHUNK = 500;

/** Settings key under which a configuration's pending peer removals are kept. */
export const pendingRemovalsKey = (configurationId: number) =>
  `${PENDING_PREFIX}${configurationId}`;

/**
 * `SyncStore` over nodes, configurations, peers, and `settings` for pending removals. Interface
 * and node status changes are events, stored through the journal with their notifications.
 */
export function createFleetSyncRepo(
  handle: DatabaseHandle,
  now: () => Date,
  journal: EventJournal = createEventJournal(),
): SyncStore {
  const db = handle.db;
  const secrets = handle.secrets;
  // Every full compare reads every preshared key of the configuration: those unchanged since the
  // last read are not decrypted again (about 15 µs each; 10,000 peers would cost 0.15 s a read).
  const presharedKeys = new Map<number, ReturnType<typeof openMemo>>();
  // A status change and its event in one transaction; rows locked so two panels record it once.
  const setNodeStatus = async (
    nodeId: number,
    status: NodeStatus,
    error: string | null,
    write: (trx: Kysely<Database>) => Promise<unknown>,
    fence?: Fence,
  ) => {
    // Most polls change nothing: no lock on the node, as before the events.
    const seen = await db
      .selectFrom('nodes')
      .select('status')
      .where('id', '=', nodeId)
      .executeTakeFirst();
    if (seen?.status === status) {
      if (!fence) await write(db);
      else
        await db.transaction().execute(async (trx) => {
          await write(trx);
          await assertLease(trx, fence, now());
        });
      return;
    }
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('nodes')
        .select(['id', 'name', 'status', 'last_seen_at'])
        .where('id', '=', nodeId)
        .forUpdate()
        .executeTakeFirst();
      await write(trx);
      if (!row) return;
      const event = nodeStatusEvent(
        row,
        { status: row.status, everSeen: row.last_seen_at !== null },
        status,
        error,
        now(),
      );
      if (event) await journal.record(trx, [event]);
      if (fence) await assertLease(trx, fence, now());
    });
    journal.committed();
  };
  const configurations = () =>
    db
      .selectFrom('configurations')
      .innerJoin('nodes', 'nodes.id', 'configurations.node_id')
      .select([
        'configurations.id as id',
        'configurations.name as name',
        'configurations.interface_name as interfaceName',
        'configurations.enabled as enabled',
        'nodes.id as nodeId',
        'nodes.name as nodeName',
        'nodes.status as nodeStatus',
      ]);
  return {
    async nodeIds() {
      return (await db.selectFrom('nodes').select('id').orderBy('id').execute()).map((r) => r.id);
    },
    async node(id) {
      const r = await db
        .selectFrom('nodes')
        .select(['id', 'name', 'url', 'token', 'fingerprint', 'status'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r
        ? { ...r, token: openStored(secrets, r.token, nodeTokenBinding(r.id)) as string }
        : null;
    },
    async configuration(id): Promise<SyncConfiguration | null> {
      return (
        (await configurations().where('configurations.id', '=', id).executeTakeFirst()) ?? null
      );
    },
    async enabledConfigurationsOfNode(nodeId) {
      return configurations()
        .where('configurations.node_id', '=', nodeId)
        .where('configurations.enabled', '=', true)
        .orderBy('configurations.id')
        .execute();
    },
    async desiredPeers(configurationId) {
      const rows = await db
        .selectFrom('peers')
        .leftJoin('subscribers', 'subscribers.id', 'peers.subscriber_id')
        .select([
          'peers.public_key',
          'peers.allowed_ip',
          'peers.preshared_key',
          'peers.status',
          'peers.download_bps',
          'peers.upload_bps',
          'peers.throttle_download_bps',
          'peers.throttle_upload_bps',
          'peers.throttled_at',
          'subscribers.download_bps as s_download_bps',
          'subscribers.upload_bps as s_upload_bps',
          'subscribers.throttle_download_bps as s_throttle_download_bps',
          'subscribers.throttle_upload_bps as s_throttle_upload_bps',
          'subscribers.throttled_at as s_throttled_at',
        ])
        .where('peers.configuration_id', '=', configurationId)
        .execute();
      // The slower of the peer's own shaped speed and its subscriber's (see shapedSpeed).
      const speed = (
        own: [bigint | null, bigint | null, Date | null],
        sub: [bigint | null, bigint | null, Date | null],
      ) => {
        const bps = slower(
          shapedSpeed(own[0], own[1], own[2] !== null),
          shapedSpeed(sub[0], sub[1], sub[2] !== null),
        );
        return bps === null ? null : Number(bps);
      };
      let memo = presharedKeys.get(configurationId);
      if (!memo) presharedKeys.set(configurationId, (memo = openMemo(secrets)));
      const peers = rows.map((r) => ({
        publicKey: r.public_key,
        allowedIp: r.allowed_ip,
        presharedKey: memo.open(
          r.preshared_key,
          peerSecretBinding('preshared_key', configurationId, r.public_key),
        ),
        status: r.status,
        // A throttled peer (or one of a throttled subscriber) is shaped to the throttle speeds
        // (the reconcile sends what is shaped); a subscriber's speed limits apply to each peer.
        downloadBps: speed(
          [r.download_bps, r.throttle_download_bps, r.throttled_at],
          [r.s_download_bps, r.s_throttle_download_bps, r.s_throttled_at],
        ),
        uploadBps: speed(
          [r.upload_bps, r.throttle_upload_bps, r.throttled_at],
          [r.s_upload_bps, r.s_throttle_upload_bps, r.s_throttled_at],
        ),
      }));
      memo.forgetUnused();
      return peers;
    },
    allowanceInputs(configurationId) {
      return db
        .selectFrom('peers')
        .select([
          'public_key',
          'status',
          'traffic_limit',
          'period_rx',
          'period_tx',
          'expiry_date',
          'last_total_rx',
          'last_total_tx',
          'totals_epoch',
          'on_limit',
          'daily_limit',
          'day_rx',
          'day_tx',
        ])
        .where('configuration_id', '=', configurationId)
        .where('status', '=', 'active')
        .where((eb) =>
          eb.or([
            eb('traffic_limit', 'is not', null),
            eb('daily_limit', 'is not', null),
            eb('expiry_date', 'is not', null),
          ]),
        )
        .execute();
    },
    async markCountersRestarted(configurationId, publicKeys) {
      for (let i = 0; i < publicKeys.length; i += KEY_CHUNK)
        await db
          .updateTable('peers')
          .set({ last_raw_rx: 0n, last_raw_tx: 0n })
          .where('configuration_id', '=', configurationId)
          .where('public_key', 'in', publicKeys.slice(i, i + KEY_CHUNK))
          .execute();
    },
    async pendingRemovals(configurationId) {
      const r = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', pendingRemovalsKey(configurationId))
        .executeTakeFirst();
      if (!r) return [];
      try {
        const keys: unknown = JSON.parse(r.value);
        return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
      } catch {
        return [];
      }
    },
    async setPendingRemovals(configurationId, keys) {
      const key = pendingRemovalsKey(configurationId);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('settings').where('key', '=', key).execute();
        if (keys.length > 0)
          await trx
            .insertInto('settings')
            .values({ key, value: JSON.stringify(keys), updated_at: now() })
            .execute();
      });
    },
    async deletePendingRemovals(configurationIds) {
      for (const id of configurationIds) presharedKeys.delete(id);
      if (configurationIds.length === 0) return;
      await db
        .deleteFrom('settings')
        .where('key', 'in', configurationIds.map(pendingRemovalsKey))
        .execute();
    },
    async setInterfaceStatus(configurationId, status, eventOf) {
      const result = await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('configurations')
          .select('interface_status')
          .where('id', '=', configurationId)
          .forUpdate()
          .executeTakeFirst();
        if (!row) return null;
        const previous = (row.interface_status as InterfaceStatus | null) ?? null;
        await trx
          .updateTable('configurations')
          .set({ interface_status: status })
          .where('id', '=', configurationId)
          .execute();
        const event = eventOf(previous);
        if (event)
          await journal.record(trx, [
            {
              type: event.type,
              peerId: null,
              configurationId: event.configurationId,
              nodeId: event.nodeId,
              peerName: null,
              peerPublicKey: null,
              message: event.message,
              values: event.values,
              at: event.at,
            },
          ]);
        return previous;
      });
      journal.committed();
      return result;
    },
    async markNodeOnline(nodeId, seen, fence) {
      await setNodeStatus(
        nodeId,
        'online',
        null,
        (trx) =>
          trx
            .updateTable('nodes')
            .set({
              status: 'online',
              last_seen_at: seen.at,
              agent_version: seen.agentVersion.slice(0, 64),
              rtt_ms: seen.rttMs,
              last_error: null,
            })
            .where('id', '=', nodeId)
            .execute(),
        fence,
      );
    },
    async markNodeOffline(nodeId, error, fence) {
      await setNodeStatus(
        nodeId,
        'offline',
        error.slice(0, 500),
        (trx) =>
          trx
            .updateTable('nodes')
            .set({ status: 'offline', last_error: error.slice(0, 2000) })
            .where('id', '=', nodeId)
            .execute(),
        fence,
      );
    },
  };
}
