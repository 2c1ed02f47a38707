import type { Kysely } from 'kysely';
import type { PeerEvent } from '../../../app/events/peer-event.js';
import { recordOfPeerEvent } from '../../../app/events/event-record.js';
import { createEventJournal, type EventJournal } from './notifications/event-journal.js';
import type { UsageStore, UsageUnitOfWork } from '../../../app/usage/ports.js';
import type { PolicyChange, UsageBatch, UsagePeerRow } from '../../../app/usage/usage-row.js';
import type { SampleRow } from '../../../app/usage/samples-ports.js';
import { bulkWriterFor, type BulkUpdateSpec, type BulkWriter } from '../dialects/bulk-sql.js';
import type { DatabaseHandle } from '../open-database.js';
import { assertLease } from './cluster-store.js';
import type { Database } from '../schema/database.js';
import { SUBSCRIBER_POLICY_COLUMNS, withUsage } from './subscriber-usage.js';

/** The subscribers of these peers: name, and its reason while it is restricted. */
async function subscribersOf(
  db: Kysely<Database>,
  ids: readonly (number | null)[],
): Promise<Map<number, { name: string; cut: UsagePeerRow['subscriber_cut'] }>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  const out = new Map<number, { name: string; cut: UsagePeerRow['subscriber_cut'] }>();
  for (let i = 0; i < wanted.length; i += 1000) {
    const rows = await db
      .selectFrom('subscribers')
      .select(['id', 'name', 'status', 'restriction_reason'])
      .where('id', 'in', wanted.slice(i, i + 1000))
      .execute();
    for (const r of rows)
      out.set(r.id, {
        name: r.name,
        cut: r.status === 'restricted' ? r.restriction_reason : null,
      });
  }
  return out;
}

/** Peer rows completed with their node and their subscriber's state. */
async function complete(
  db: Kysely<Database>,
  rows: readonly Omit<UsagePeerRow, 'subscriber_name' | 'subscriber_cut'>[],
): Promise<UsagePeerRow[]> {
  const subs = await subscribersOf(
    db,
    rows.map((r) => r.subscriber_id),
  );
  return rows.map((r) => {
    const s = r.subscriber_id === null ? undefined : subs.get(r.subscriber_id);
    return { ...r, subscriber_name: s?.name ?? null, subscriber_cut: s?.cut ?? null };
  });
}

const PEER_COLUMNS = [
  'id',
  'configuration_id',
  'name',
  'public_key',
  'status',
  'restriction_reason',
  'traffic_limit',
  'expiry_date',
  'traffic_warn_threshold',
  'reset_schedule',
  'reset_anchor',
  'download_bps',
  'upload_bps',
  'on_limit',
  'throttle_download_bps',
  'throttle_upload_bps',
  'throttled_at',
  'download_limit',
  'upload_limit',
  'daily_limit',
  'day_rx',
  'day_tx',
  'day_started_at',
  'download_warned',
  'upload_warned',
  'daily_warned',
  'last_raw_rx',
  'last_raw_tx',
  'last_total_rx',
  'last_total_tx',
  'totals_epoch',
  'period_rx',
  'period_tx',
  'period_started_at',
  'traffic_warned',
  'expiry_warned_for',
  'endpoint',
  'latest_handshake_at',
  'subscriber_id',
  'restricted_by_subscriber',
] as const;

const LEDGER_COLUMNS = [
  'id',
  'public_key',
  'last_raw_rx',
  'last_raw_tx',
  'last_total_rx',
  'last_total_tx',
  'totals_epoch',
  'period_rx',
  'period_tx',
  'traffic_limit',
  'traffic_warn_threshold',
  'traffic_warned',
  'status',
  'restriction_reason',
  'subscriber_id',
  'download_limit',
  'upload_limit',
  'daily_limit',
  'throttled_at',
] as const;

// One statement per batch of peers: period/lifetime += delta (added to what the row holds, so a
// concurrent reset is never undone), raw counters and the agent's totals (null from an agent
// without them), endpoint and handshake as observed.
const USAGE_UPDATE: BulkUpdateSpec = {
  table: 'peers',
  key: { name: 'id', type: 'integer' },
  values: [
    { name: 'd_rx', type: 'bigint' },
    { name: 'd_tx', type: 'bigint' },
    { name: 'raw_rx', type: 'bigint' },
    { name: 'raw_tx', type: 'bigint' },
    { name: 'total_rx', type: 'bigint' },
    { name: 'total_tx', type: 'bigint' },
    { name: 'epoch', type: 'text' },
    { name: 'endpoint', type: 'text' },
    { name: 'handshake', type: 'timestamp' },
  ],
  assign: [
    { column: 'period_rx', from: 'd_rx', op: 'add' },
    { column: 'period_tx', from: 'd_tx', op: 'add' },
    { column: 'lifetime_rx', from: 'd_rx', op: 'add' },
    { column: 'lifetime_tx', from: 'd_tx', op: 'add' },
    { column: 'day_rx', from: 'd_rx', op: 'add' },
    { column: 'day_tx', from: 'd_tx', op: 'add' },
    { column: 'last_raw_rx', from: 'raw_rx', op: 'set' },
    { column: 'last_raw_tx', from: 'raw_tx', op: 'set' },
    { column: 'last_total_rx', from: 'total_rx', op: 'set' },
    { column: 'last_total_tx', from: 'total_tx', op: 'set' },
    { column: 'totals_epoch', from: 'epoch', op: 'set' },
    { column: 'endpoint', from: 'endpoint', op: 'coalesce' },
    { column: 'latest_handshake_at', from: 'handshake', op: 'coalesce' },
  ],
};

// The same, only where the raw counters are still those the ingest computed from (its cache).
const GUARDED_USAGE_UPDATE: BulkUpdateSpec = {
  ...USAGE_UPDATE,
  values: [
    ...USAGE_UPDATE.values,
    { name: 'was_rx', type: 'bigint' },
    { name: 'was_tx', type: 'bigint' },
  ],
  guard: [
    { column: 'last_raw_rx', equals: 'was_rx' },
    { column: 'last_raw_tx', equals: 'was_tx' },
  ],
};

const MINUTE_SAMPLES = {
  table: 'peer_usage_minute',
  key: [
    { name: 'peer_id', type: 'integer' },
    { name: 'bucket_start', type: 'timestamp' },
  ],
  add: [
    { name: 'rx', type: 'bigint' },
    { name: 'tx', type: 'bigint' },
  ],
} as const;

/** Minute rows written per statement (and peers checked per query). */
const SAMPLES_CHUNK = 1000;

/**
 * The usage area's storage on the panel database (see app/usage/ports.ts). Events go through the
 * journal: stored with their notification deliveries in the same transaction.
 */
export function createUsageStore(
  handle: DatabaseHandle,
  journal: EventJournal = createEventJournal(),
  now: () => Date = () => new Date(),
): UsageStore {
  const bulk = bulkWriterFor(handle.dialect.name);
  return {
    async transaction(work, fence) {
      const result = await handle.db.transaction().execute(async (trx) => {
        const out = await work(unitOfWork(trx, bulk, journal));
        // Last, so the lease row is locked only for the commit (a takeover waits that long).
        if (fence) await assertLease(trx, fence, now());
        return out;
      });
      journal.committed();
      return result;
    },

    async policyCandidates(afterId, limit) {
      const rows = await handle.db
        .selectFrom('peers')
        .innerJoin('configurations', 'configurations.id', 'peers.configuration_id')
        .select(PEER_COLUMNS.map((c) => `peers.${c}` as const))
        .select('configurations.node_id')
        .where((eb) =>
          eb.or([
            eb('peers.traffic_limit', 'is not', null),
            eb('peers.download_limit', 'is not', null),
            eb('peers.upload_limit', 'is not', null),
            eb('peers.daily_limit', 'is not', null),
            eb('peers.throttled_at', 'is not', null),
            eb('peers.expiry_date', 'is not', null),
            eb('peers.reset_schedule', '<>', 'none'),
            eb('peers.traffic_warned', '=', true),
            eb('peers.expiry_warned_for', 'is not', null),
            eb('peers.restriction_reason', 'in', ['traffic_limit', 'expired']),
            eb('peers.restricted_by_subscriber', '=', true),
            eb(
              'peers.subscriber_id',
              'in',
              eb.selectFrom('subscribers').select('id').where('status', '=', 'restricted'),
            ),
          ]),
        )
        .where('peers.id', '>', afterId)
        .orderBy('peers.id')
        .limit(limit)
        .execute();
      return complete(handle.db, rows);
    },

    async subscriberCandidates(afterId, limit) {
      const rows = await handle.db
        .selectFrom('subscribers')
        .select(SUBSCRIBER_POLICY_COLUMNS)
        .where((eb) =>
          eb.or([
            eb('traffic_limit', 'is not', null),
            eb('expiry_date', 'is not', null),
            eb('reset_schedule', '<>', 'none'),
            eb('traffic_warned', '=', true),
            eb('expiry_warned_for', 'is not', null),
            eb('status', '=', 'on_hold'),
            eb('restriction_reason', 'in', ['traffic_limit', 'expired']),
            eb('download_limit', 'is not', null),
            eb('upload_limit', 'is not', null),
            eb('daily_limit', 'is not', null),
            eb('throttled_at', 'is not', null),
            eb('download_warned', '=', true),
            eb('upload_warned', '=', true),
            eb('daily_warned', '=', true),
          ]),
        )
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return withUsage(handle.db, rows);
    },

    async subscribersWithUsage(ids) {
      if (ids.length === 0) return [];
      const rows = [];
      for (let i = 0; i < ids.length; i += 1000)
        rows.push(
          ...(await handle.db
            .selectFrom('subscribers')
            .select(SUBSCRIBER_POLICY_COLUMNS)
            .where('id', 'in', ids.slice(i, i + 1000))
            .execute()),
        );
      return withUsage(handle.db, rows);
    },

    async nextExpiry(now) {
      const row = await handle.db
        .selectFrom('peers')
        .select('expiry_date')
        .where('status', '=', 'active')
        .where('expiry_date', '>', now)
        .orderBy('expiry_date')
        .limit(1)
        .executeTakeFirst();
      const sub = await handle.db
        .selectFrom('subscribers')
        .select('expiry_date')
        .where('status', '=', 'active')
        .where('expiry_date', '>', now)
        .orderBy('expiry_date')
        .limit(1)
        .executeTakeFirst();
      const dates = [row?.expiry_date, sub?.expiry_date].filter((d): d is Date => d != null);
      return dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => d.getTime())));
    },

    async forgetCuts(configurationId) {
      await handle.db
        .deleteFrom('agent_cuts')
        .where('configuration_id', '=', configurationId)
        .execute();
    },
  };
}

function unitOfWork(
  trx: Kysely<Database>,
  bulk: BulkWriter,
  journal: EventJournal,
): UsageUnitOfWork {
  const nodesOf = async (configurationIds: readonly number[]) => {
    if (configurationIds.length === 0) return new Map<number, number>();
    const rows = await trx
      .selectFrom('configurations')
      .select(['id', 'node_id'])
      .where('id', 'in', [...configurationIds])
      .execute();
    return new Map(rows.map((r) => [r.id, r.node_id]));
  };
  return {
    async countersInstance(configurationId) {
      const row = await trx
        .selectFrom('configurations')
        .select('counters_instance')
        .where('id', '=', configurationId)
        .executeTakeFirst();
      return row?.counters_instance ?? null;
    },

    async setCountersInstance(configurationId, instance) {
      await trx
        .updateTable('configurations')
        .set({ counters_instance: instance })
        .where('id', '=', configurationId)
        .execute();
    },

    ledgerRows(configurationId) {
      return trx
        .selectFrom('peers')
        .select(LEDGER_COLUMNS)
        .where('configuration_id', '=', configurationId)
        .forUpdate()
        .execute();
    },

    async peersByIds(ids) {
      if (ids.length === 0) return [];
      const rows: Omit<UsagePeerRow, 'node_id' | 'subscriber_name' | 'subscriber_cut'>[] = [];
      for (let i = 0; i < ids.length; i += 1000) {
        rows.push(
          ...(await trx
            .selectFrom('peers')
            .select(PEER_COLUMNS)
            .where('id', 'in', ids.slice(i, i + 1000))
            .orderBy('id')
            .forUpdate()
            .execute()),
        );
      }
      const nodes = await nodesOf([...new Set(rows.map((r) => r.configuration_id))]);
      return complete(
        trx,
        rows.map((r) => ({ ...r, node_id: nodes.get(r.configuration_id) ?? null })),
      );
    },

    async addUsage(u: UsageBatch) {
      if (u.count === 0) return 0;
      // The batch's own columns, in the statement's order (no array or object per peer).
      const columns = [
        u.ids,
        u.deltaRx,
        u.deltaTx,
        u.rawRx,
        u.rawTx,
        u.totalRx,
        u.totalTx,
        u.epoch,
        u.endpoint,
        u.latestHandshakeAt,
      ];
      return u.guarded
        ? bulk.updateByKeyColumns(
            trx,
            GUARDED_USAGE_UPDATE,
            [...columns, u.expectRx, u.expectTx],
            u.count,
          )
        : bulk.updateByKeyColumns(trx, USAGE_UPDATE, columns, u.count);
    },

    async addSamples(rows: readonly SampleRow[]) {
      // Samples wait in memory up to a minute: a peer deleted since has no row to point to (its
      // stored samples went with it, ON DELETE CASCADE), so its bytes go too. A chunk at a time,
      // so what a chunk needs is garbage before the next one is built.
      for (let i = 0; i < rows.length; i += SAMPLES_CHUNK) {
        const chunk = rows.slice(i, i + SAMPLES_CHUNK);
        const found = await trx
          .selectFrom('peers')
          .select('id')
          .where('id', 'in', [...new Set(chunk.map((r) => r.peerId))])
          .execute();
        const alive = new Set(found.map((r) => r.id));
        const values: unknown[][] = [];
        for (const r of chunk)
          if (alive.has(r.peerId)) values.push([r.peerId, r.bucketStart, r.rx, r.tx]);
        await bulk.upsertAdd(trx, MINUTE_SAMPLES, values);
      }
    },

    async applyPolicy(changes: readonly PolicyChange[]) {
      for (const c of changes) {
        await trx
          .updateTable('peers')
          .set({
            status: c.status,
            restriction_reason: c.restriction_reason,
            traffic_warned: c.traffic_warned,
            expiry_warned_for: c.expiry_warned_for,
            period_started_at: c.period_started_at,
            restricted_by_subscriber: c.restricted_by_subscriber,
            ...(c.restricted_at !== undefined && { restricted_at: c.restricted_at }),
            ...(c.throttled_at !== undefined && { throttled_at: c.throttled_at }),
            day_started_at: c.day_started_at,
            download_warned: c.download_warned,
            upload_warned: c.upload_warned,
            daily_warned: c.daily_warned,
            ...(c.reset_day && { day_rx: 0n, day_tx: 0n }),
            // A new period forgets the agent's totals: bytes the node counted before the reset but the
            // panel had not yet read belong to the old period; the next poll takes a new baseline.
            ...(c.reset_usage && {
              period_rx: 0n,
              period_tx: 0n,
              last_total_rx: null,
              last_total_tx: null,
              totals_epoch: null,
            }),
            ...(c.restored && { last_raw_rx: 0n, last_raw_tx: 0n }),
          })
          .where('id', '=', c.id)
          .execute();
      }
    },

    async insertEvents(events: readonly PeerEvent[]) {
      await journal.record(trx, events.map(recordOfPeerEvent));
    },

    async peersByKeys(configurationId, keys) {
      if (keys.length === 0) return [];
      const ids: number[] = [];
      for (let i = 0; i < keys.length; i += 1000) {
        const found = await trx
          .selectFrom('peers')
          .select('id')
          .where('configuration_id', '=', configurationId)
          .where('public_key', 'in', keys.slice(i, i + 1000))
          .execute();
        ids.push(...found.map((r) => r.id));
      }
      return this.peersByIds(ids);
    },

    async recordedCuts(configurationId, ids) {
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await trx
          .selectFrom('agent_cuts')
          .select('record_id')
          .where('configuration_id', '=', configurationId)
          .where('record_id', 'in', ids.slice(i, i + 1000))
          .execute();
        for (const r of rows) known.add(r.record_id);
      }
      return known;
    },

    async rememberCuts(configurationId, ids, at) {
      for (let i = 0; i < ids.length; i += 500) {
        await trx
          .insertInto('agent_cuts')
          .values(
            ids.slice(i, i + 500).map((record_id) => ({
              configuration_id: configurationId,
              record_id,
              applied_at: at,
            })),
          )
          .execute();
      }
    },

    async addCutUsage(cut) {
      await trx
        .updateTable('peers')
        .set((eb) => ({
          period_rx: eb('period_rx', '+', cut.deltaRx),
          period_tx: eb('period_tx', '+', cut.deltaTx),
          lifetime_rx: eb('lifetime_rx', '+', cut.deltaRx),
          lifetime_tx: eb('lifetime_tx', '+', cut.deltaTx),
          ...(cut.totals && {
            last_total_rx: cut.totals.rx,
            last_total_tx: cut.totals.tx,
            totals_epoch: cut.totals.epoch,
          }),
        }))
        .where('id', '=', cut.id)
        .execute();
    },

    async updatePeers(ids, patch) {
      if (ids.length === 0 || Object.keys(patch).length === 0) return;
      for (let i = 0; i < ids.length; i += 1000) {
        await trx
          .updateTable('peers')
          .set({ ...patch, updated_at: new Date() })
          .where('id', 'in', ids.slice(i, i + 1000))
          .execute();
      }
    },

    async subscribersForPolicy(ids) {
      if (ids.length === 0) return [];
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      const rows = [];
      // Locked in id order (every writer locks subscribers so), before their usage is read.
      for (let i = 0; i < sorted.length; i += 1000)
        rows.push(
          ...(await trx
            .selectFrom('subscribers')
            .select(SUBSCRIBER_POLICY_COLUMNS)
            .where('id', 'in', sorted.slice(i, i + 1000))
            .orderBy('id')
            .forUpdate()
            .execute()),
        );
      return withUsage(trx, rows);
    },

    async applySubscriberPolicy(changes) {
      for (const c of changes) {
        await trx
          .updateTable('subscribers')
          .set({
            status: c.status,
            restriction_reason: c.restriction_reason,
            traffic_warned: c.traffic_warned,
            expiry_warned_for: c.expiry_warned_for,
            period_started_at: c.period_started_at,
            expiry_date: c.expiry_date,
            activated_at: c.activated_at,
            ...(c.restricted_at !== undefined && { restricted_at: c.restricted_at }),
            ...(c.reset_usage && { carried_rx: 0n, carried_tx: 0n }),
            ...(c.throttled_at !== undefined && { throttled_at: c.throttled_at }),
            day_started_at: c.day_started_at,
            download_warned: c.download_warned,
            upload_warned: c.upload_warned,
            daily_warned: c.daily_warned,
            ...(c.reset_day && { day_carried: 0n }),
          })
          .where('id', '=', c.id)
          .execute();
        if (c.reset_usage) await resetSubscriberPeers(trx, c.id);
        if (c.reset_day) await startSubscriberDay(trx, c.id);
      }
    },

    async insertSubscriberEvents(events) {
      await journal.recordSubscriberEvents(trx, events);
    },

    async peerIdsOfSubscribers(ids) {
      if (ids.length === 0) return [];
      const out: number[] = [];
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await trx
          .selectFrom('peers')
          .select('id')
          .where('subscriber_id', 'in', ids.slice(i, i + 1000))
          .orderBy('id')
          .execute();
        out.push(...rows.map((r) => r.id));
      }
      return out;
    },

    async updateSubscribers(ids, patch) {
      if (ids.length === 0 || Object.keys(patch).length === 0) return;
      for (let i = 0; i < ids.length; i += 1000)
        await trx
          .updateTable('subscribers')
          .set({ ...patch, updated_at: new Date() })
          .where('id', 'in', ids.slice(i, i + 1000))
          .execute();
    },
  };
}

/** A subscriber's day starts again: each of its peers counts its day from its lifetime now. */
export async function startSubscriberDay(trx: Kysely<Database>, id: number): Promise<void> {
  await trx
    .updateTable('peers')
    .set((eb) => ({ subscriber_day_base: eb('lifetime_rx', '+', eb.ref('lifetime_tx')) }))
    .where('subscriber_id', '=', id)
    .execute();
}

/** A subscriber's period starts again: each of its peers counts from its lifetime now. */
export async function resetSubscriberPeers(trx: Kysely<Database>, id: number): Promise<void> {
  await trx
    .updateTable('peers')
    .set((eb) => ({
      subscriber_base_rx: eb.ref('lifetime_rx'),
      subscriber_base_tx: eb.ref('lifetime_tx'),
    }))
    .where('subscriber_id', '=', id)
    .execute();
}
