import { sql, type Kysely, type Transaction } from 'kysely';
import { conflict } from '../../../app/errors.js';
import type {
  SubscriberListQuery,
  SubscriberStore,
  SubscriberWithUsage,
  ResellerLedger,
  SubscriberWriter,
} from '../../../app/subscribers/ports.js';
import type { SubscriberSortKey } from '../../../domain/vocabulary.js';
import { nameSortKey } from '../../../domain/name-sort-key.js';
import type { DatabaseHandle } from '../open-database.js';
import type { Database } from '../schema/database.js';
import { limitsOf } from './users-store.js';
import { toBigInt, toSafeNumber } from '../values.js';
import { createPeerStore } from './peers-store.js';
import { carryUsageOf, peerWriter } from './peers-writer.js';
import { createEventJournal, type EventJournal } from './notifications/event-journal.js';
import { openPeerRows, openStored, sealOrNull } from '../secrets/secret-bindings.js';
import type { SecretCipher } from '../secrets/secret-cipher.js';

/** What a subscriber's token is sealed to: its hash (known before the row's id). */
const tokenBinding = (hash: string) => `subscribers.token|${hash}`;

const COLUMNS = [
  's.id',
  's.name',
  's.email',
  's.telegram_chat_id',
  's.language',
  's.note',
  's.token',
  's.status',
  's.restriction_reason',
  's.restricted_at',
  's.traffic_limit',
  's.expiry_date',
  's.traffic_warn_threshold',
  's.reset_schedule',
  's.reset_anchor',
  's.on_hold_days',
  's.activated_at',
  's.period_started_at',
  's.created_by',
  's.created_at',
  's.carried_rx',
  's.carried_tx',
  's.token_hash',
  's.download_bps',
  's.upload_bps',
  's.on_limit',
  's.throttle_download_bps',
  's.throttle_upload_bps',
  's.throttled_at',
  's.download_limit',
  's.upload_limit',
  's.daily_limit',
  's.day_started_at',
  's.day_carried',
] as const;

type Row = {
  id: number;
  carried_rx: bigint;
  carried_tx: bigint;
  day_carried: bigint;
  token_hash: string;
} & Omit<SubscriberWithUsage, 'usage_rx' | 'usage_tx' | 'day_usage' | 'peer_count'>;

/** `%text%` for LIKE with `!` as the escape character. */
const like = (s: string) => `%${s.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

const SORT: Record<SubscriberSortKey, (dir: 'asc' | 'desc') => ReturnType<typeof sql>[]> = {
  name: (d) => [sql`s.name_sort_key ${sql.raw(d)}`],
  usage: (d) => [sql`s.carried_rx + s.carried_tx + coalesce(agg.used, 0) ${sql.raw(d)}`],
  // No date sorts after every date, on every dialect.
  expiry_date: (d) => [
    sql`case when s.expiry_date is null then 1 else 0 end asc`,
    sql`s.expiry_date ${sql.raw(d)}`,
  ],
  created_at: (d) => [sql`s.created_at ${sql.raw(d)}`],
  status: (d) => [sql`s.status ${sql.raw(d)}`, sql`s.name_sort_key asc`],
};

/** Usage and peer counts for rows read: one GROUP BY over their peers (by the subscriber index). */
async function complete(
  db: Kysely<Database>,
  secrets: SecretCipher,
  rows: readonly Row[],
): Promise<SubscriberWithUsage[]> {
  const ids = rows.map((r) => r.id);
  const agg = new Map<number, { rx: bigint; tx: bigint; day: bigint; n: number }>();
  for (let i = 0; i < ids.length; i += 1000) {
    const found = await db
      .selectFrom('peers')
      .select([
        'subscriber_id',
        sql<unknown>`sum(lifetime_rx - subscriber_base_rx)`.as('rx'),
        sql<unknown>`sum(lifetime_tx - subscriber_base_tx)`.as('tx'),
        sql<unknown>`sum(lifetime_rx + lifetime_tx - subscriber_day_base)`.as('day'),
        (eb) => eb.fn.countAll().as('n'),
      ])
      .where('subscriber_id', 'in', ids.slice(i, i + 1000))
      .groupBy('subscriber_id')
      .execute();
    for (const r of found)
      agg.set(r.subscriber_id as number, {
        rx: toBigInt(r.rx ?? 0, 'usage rx'),
        tx: toBigInt(r.tx ?? 0, 'usage tx'),
        day: toBigInt(r.day ?? 0, 'day usage'),
        n: toSafeNumber(r.n, 'count'),
      });
  }
  return rows.map(({ carried_rx, carried_tx, day_carried, token_hash, ...r }) => {
    const a = agg.get(r.id);
    return {
      ...r,
      token: openStored(secrets, r.token, tokenBinding(token_hash)) as string,
      usage_rx: carried_rx + (a?.rx ?? 0n),
      usage_tx: carried_tx + (a?.tx ?? 0n),
      day_usage: r.day_started_at === null ? 0n : day_carried + (a?.day ?? 0n),
      peer_count: a?.n ?? 0,
    };
  });
}

/** `SubscriberStore` over the subscribers, peers and subscriber_events tables. */
export function createSubscriberStore(
  handle: DatabaseHandle,
  journal: EventJournal = createEventJournal(),
): SubscriberStore {
  const db = handle.db;
  const peers = createPeerStore(handle, journal);
  const filtered = (q: Pick<SubscriberListQuery, 'search' | 'status' | 'createdBy'>) => {
    let b = db.selectFrom('subscribers as s');
    if (q.createdBy !== null) b = b.where('s.created_by', '=', q.createdBy);
    if (q.status === 'throttled')
      b = b.where('s.status', '=', 'active').where('s.throttled_at', 'is not', null);
    else if (q.status === 'active')
      b = b.where('s.status', '=', 'active').where('s.throttled_at', 'is', null);
    else if (q.status) b = b.where('s.status', '=', q.status);
    if (q.search) {
      const p = like(q.search);
      b = b.where(
        sql<boolean>`(lower(s.name) like ${p} escape '!' or lower(coalesce(s.email, '')) like ${p} escape '!' or lower(coalesce(s.telegram_chat_id, '')) like ${p} escape '!' or lower(coalesce(s.note, '')) like ${p} escape '!')`,
      );
    }
    return b;
  };
  const one = async (where: (b: ReturnType<typeof filtered>) => ReturnType<typeof filtered>) => {
    const r = await where(filtered({ search: null, status: null, createdBy: null }))
      .select(COLUMNS)
      .executeTakeFirst();
    if (!r) return null;
    const [full] = await complete(db, handle.secrets, [r]);
    return { ...(full as SubscriberWithUsage), token_hash: r.token_hash };
  };

  return {
    async list(q) {
      const total = await filtered(q)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const agg = db
        .selectFrom('peers')
        .select([
          'subscriber_id',
          sql<bigint>`sum(lifetime_rx - subscriber_base_rx + lifetime_tx - subscriber_base_tx)`.as(
            'used',
          ),
        ])
        .where('subscriber_id', 'is not', null)
        .groupBy('subscriber_id')
        .as('agg');
      // The usage sort needs every subscriber's sum. The others find the page's ids first, in
      // the order's index alone (a deep offset skips index entries, not rows), then its rows.
      let page =
        q.sort === 'usage'
          ? filtered(q).leftJoin(agg, 'agg.subscriber_id', 's.id').select(COLUMNS)
          : filtered(q).select(COLUMNS);
      for (const o of SORT[q.sort](q.order)) page = page.orderBy(o);
      page = page.orderBy('s.id', q.order);
      let rows;
      if (q.sort === 'name' && !q.search && !q.status && q.createdBy === null) {
        let ids = db.selectFrom('subscribers as s').select('s.id');
        for (const o of SORT.name(q.order)) ids = ids.orderBy(o);
        const order = (
          await ids.orderBy('s.id', q.order).limit(q.limit).offset(q.offset).execute()
        ).map((r) => r.id);
        const found = order.length === 0 ? [] : await page.where('s.id', 'in', order).execute();
        const byId = new Map(found.map((r) => [r.id, r]));
        rows = order.flatMap((id) => byId.get(id) ?? []);
      } else rows = await page.limit(q.limit).offset(q.offset).execute();
      return {
        rows: await complete(db, handle.secrets, rows),
        total: toSafeNumber(total.n, 'count'),
      };
    },

    byId: (id) => one((b) => b.where('s.id', '=', id)),
    byTokenHash: (hash) => one((b) => b.where('s.token_hash', '=', hash)),

    async peers(subscriberId) {
      const rows = await db
        .selectFrom('peers')
        .innerJoin('configurations', 'configurations.id', 'peers.configuration_id')
        .selectAll('peers')
        .select('configurations.name as configuration_name')
        .where('peers.subscriber_id', '=', subscriberId)
        .orderBy('peers.id')
        .execute();
      openPeerRows(handle.secrets, rows);
      const configurations = new Map<string, Awaited<ReturnType<typeof peers.findConfiguration>>>();
      for (const r of rows)
        if (!configurations.has(r.configuration_name))
          configurations.set(
            r.configuration_name,
            await peers.findConfiguration(r.configuration_name),
          );
      return rows.flatMap(({ configuration_name, ...peer }) => {
        const configuration = configurations.get(configuration_name);
        if (!configuration) return [];
        return [
          {
            peer,
            configuration,
            usageRx: peer.lifetime_rx - peer.subscriber_base_rx,
            usageTx: peer.lifetime_tx - peer.subscriber_base_tx,
          },
        ];
      });
    },

    async events(subscriberId, limit) {
      const rows = await db
        .selectFrom('subscriber_events')
        .select(['id', 'type', 'message', 'data', 'created_at'])
        .where('subscriber_id', '=', subscriberId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        type: r.type,
        message: r.message,
        values: parse(r.data),
        createdAt: r.created_at,
      }));
    },

    findConfiguration: (name) => peers.findConfiguration(name),

    async peersByKeys(configurationId, keys) {
      const out = new Map<string, { id: number; subscriberId: number | null }>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await db
          .selectFrom('peers')
          .select(['id', 'public_key', 'subscriber_id'])
          .where('configuration_id', '=', configurationId)
          .where('public_key', 'in', keys.slice(i, i + 500))
          .execute();
        for (const r of rows) out.set(r.public_key, { id: r.id, subscriberId: r.subscriber_id });
      }
      return out;
    },

    async transaction(work) {
      try {
        const result = await db.transaction().execute((trx) => work(writer(trx, handle, journal)));
        journal.committed();
        return result;
      } catch (err) {
        if (handle.dialect.constraintViolation(err) === 'unique')
          throw conflict(
            'a subscriber with this name, or a peer with this key or address, was added at the same time; try again',
          );
        throw err;
      }
    },
  };
}

function parse(data: string | null): Record<string, unknown> {
  if (data === null) return {};
  try {
    const v = JSON.parse(data) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The reseller's row, locked; its subscribers counted; its balance spent by a guarded update. */
function resellerLedger(trx: Transaction<Database>): ResellerLedger {
  return {
    async lock(userId) {
      const r = await trx
        .selectFrom('reseller_limits')
        .selectAll()
        .where('user_id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!r) return null;
      const l = limitsOf(r);
      return { ...l, configurations: [...l.configurations] };
    },
    async terms(id) {
      const r = await trx
        .selectFrom('subscribers')
        .select(['traffic_limit', 'expiry_date'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r ?? null;
    },
    async used(userId) {
      const r = await trx
        .selectFrom('subscribers')
        .select((eb) => [
          eb.fn.countAll().as('n'),
          eb.fn.coalesce(eb.fn.sum('traffic_limit'), eb.lit(0)).as('bytes'),
        ])
        .where('created_by', '=', userId)
        .executeTakeFirstOrThrow();
      return { subscribers: Number(r.n), trafficBytes: BigInt(String(r.bytes)) };
    },
    async spend(userId, bytes, days) {
      const r = await trx
        .updateTable('reseller_limits')
        .set(() => ({
          balance_bytes: sql<bigint>`case when balance_bytes is null then null else balance_bytes - ${bytes} end`,
          balance_days: sql<number>`case when balance_days is null then null else balance_days - ${days} end`,
        }))
        .where('user_id', '=', userId)
        .where((eb) =>
          eb.and([
            eb.or([eb('balance_bytes', 'is', null), eb('balance_bytes', '>=', bytes)]),
            eb.or([eb('balance_days', 'is', null), eb('balance_days', '>=', days)]),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

function writer(
  trx: Transaction<Database>,
  handle: DatabaseHandle,
  journal: EventJournal,
): SubscriberWriter {
  const nameTaken = async (name: string, except?: number) => {
    let q = trx.selectFrom('subscribers').select('id').where('name', '=', name);
    if (except !== undefined) q = q.where('id', '<>', except);
    return (await q.executeTakeFirst()) !== undefined;
  };
  return {
    peers: peerWriter(trx, handle.secrets, journal),
    reseller: resellerLedger(trx),
    async insert(row) {
      if (await nameTaken(row.name))
        throw conflict(`a subscriber named "${row.name}" exists already`, row.name, 'name');
      return handle.dialect.insertReturningId(trx, 'subscribers', {
        ...row,
        token: sealOrNull(handle.secrets, row.token, tokenBinding(row.token_hash)) as string,
        name_sort_key: nameSortKey(row.name),
      });
    },
    async lock(id) {
      const r = await trx
        .selectFrom('subscribers')
        .select('id')
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      return r !== undefined;
    },
    async update(id, patch, at) {
      if (patch.name !== undefined && (await nameTaken(patch.name, id)))
        throw conflict(`a subscriber named "${patch.name}" exists already`, patch.name, 'name');
      await trx
        .updateTable('subscribers')
        .set({
          ...patch,
          ...(patch.token !== undefined &&
            patch.token_hash !== undefined && {
              token: sealOrNull(
                handle.secrets,
                patch.token,
                tokenBinding(patch.token_hash),
              ) as string,
            }),
          ...(patch.name !== undefined && { name_sort_key: nameSortKey(patch.name) }),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      await trx.deleteFrom('subscribers').where('id', '=', id).execute();
    },
    async assign(subscriberId, peerIds) {
      for (let i = 0; i < peerIds.length; i += 500)
        await trx
          .updateTable('peers')
          .set((eb) => ({
            subscriber_id: subscriberId,
            subscriber_base_rx: eb.ref('lifetime_rx'),
            subscriber_base_tx: eb.ref('lifetime_tx'),
            subscriber_day_base: eb('lifetime_rx', '+', eb.ref('lifetime_tx')),
          }))
          .where('id', 'in', peerIds.slice(i, i + 500))
          .execute();
    },
    async unassign(peerIds) {
      await carryUsageOf(trx, peerIds);
      for (let i = 0; i < peerIds.length; i += 500)
        await trx
          .updateTable('peers')
          .set({
            subscriber_id: null,
            subscriber_base_rx: 0n,
            subscriber_base_tx: 0n,
            subscriber_day_base: 0n,
          })
          .where('id', 'in', peerIds.slice(i, i + 500))
          .execute();
    },
    async ownersOf(peerIds) {
      const out = new Map<number, number | null>();
      for (let i = 0; i < peerIds.length; i += 500) {
        const rows = await trx
          .selectFrom('peers')
          .select(['id', 'subscriber_id'])
          .where('id', 'in', peerIds.slice(i, i + 500))
          .forUpdate()
          .execute();
        for (const r of rows) out.set(r.id, r.subscriber_id);
      }
      return out;
    },
    async peersOf(subscriberId) {
      const rows = await trx
        .selectFrom('peers')
        .select(['id', 'configuration_id', 'public_key'])
        .where('subscriber_id', '=', subscriberId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        configurationId: r.configuration_id,
        publicKey: r.public_key,
      }));
    },
  };
}
