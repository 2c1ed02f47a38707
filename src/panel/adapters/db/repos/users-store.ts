import type { Kysely, Transaction } from 'kysely';
import { conflict } from '../../../app/errors.js';
import type {
  ResellerLimits,
  UserRecord,
  UserStore,
  UserWriter,
} from '../../../app/users/ports.js';
import type { DatabaseHandle } from '../open-database.js';
import type { Database } from '../schema/database.js';
import type { ResellerLimitsTable } from '../schema/auth-tables.js';
import type { Selectable } from 'kysely';

/** A `reseller_limits` row as the app sees it. */
export function limitsOf(r: Selectable<ResellerLimitsTable>): ResellerLimits {
  let configurations: string[] = [];
  try {
    const v = JSON.parse(r.configurations) as unknown;
    if (Array.isArray(v)) configurations = v.filter((x): x is string => typeof x === 'string');
  } catch {
    // A damaged list allows nothing.
  }
  return {
    maxSubscribers: r.max_subscribers,
    maxTrafficBytes: r.max_traffic_bytes,
    maxExpiryDays: r.max_expiry_days,
    configurations,
    balanceBytes: r.balance_bytes,
    balanceDays: r.balance_days,
  };
}

async function readUsers(db: Kysely<Database>, id?: number): Promise<UserRecord[]> {
  let q = db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'disabled', 'totp_enabled', 'created_at'])
    .orderBy('id');
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  let lq = db.selectFrom('reseller_limits').selectAll();
  if (id !== undefined) lq = lq.where('user_id', '=', id);
  const limits = new Map((await lq.execute()).map((l) => [l.user_id, limitsOf(l)]));
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    role: r.role,
    disabled: r.disabled,
    totpEnabled: r.totp_enabled,
    createdAt: r.created_at,
    limits: r.role === 'reseller' ? (limits.get(r.id) ?? null) : null,
  }));
}

const taken = (username: string) =>
  conflict(`a user named "${username}" exists already`, username, 'username');

function writer(trx: Transaction<Database>, handle: DatabaseHandle): UserWriter {
  const nameTaken = async (username: string, except?: number) => {
    let q = trx.selectFrom('users').select('id').where('username', '=', username);
    if (except !== undefined) q = q.where('id', '<>', except);
    return (await q.executeTakeFirst()) !== undefined;
  };
  return {
    async insert(row) {
      if (await nameTaken(row.username)) throw taken(row.username);
      return handle.dialect.insertReturningId(trx, 'users', {
        username: row.username,
        password_hash: row.passwordHash,
        role: row.role,
      });
    },
    async lockSeats() {
      return trx.selectFrom('users').select(['id', 'role', 'disabled']).forUpdate().execute();
    },
    async update(id, patch, at) {
      if (patch.username !== undefined && (await nameTaken(patch.username, id)))
        throw taken(patch.username);
      await trx
        .updateTable('users')
        .set({
          ...(patch.username !== undefined && { username: patch.username }),
          ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
          ...(patch.role !== undefined && { role: patch.role }),
          ...(patch.disabled !== undefined && { disabled: patch.disabled }),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
    async setLimits(id, limits) {
      if (!limits) {
        await trx.deleteFrom('reseller_limits').where('user_id', '=', id).execute();
        return;
      }
      const row = {
        max_subscribers: limits.maxSubscribers,
        max_traffic_bytes: limits.maxTrafficBytes,
        max_expiry_days: limits.maxExpiryDays,
        configurations: JSON.stringify(limits.configurations),
        balance_bytes: limits.balanceBytes,
        balance_days: limits.balanceDays,
      };
      const r = await trx
        .updateTable('reseller_limits')
        .set(row)
        .where('user_id', '=', id)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0)
        await trx
          .insertInto('reseller_limits')
          .values({ user_id: id, ...row })
          .execute();
    },
    async delete(id) {
      await trx.deleteFrom('users').where('id', '=', id).execute();
    },
    async endSessions(id, keepTokenHash) {
      let q = trx.deleteFrom('sessions').where('user_id', '=', id);
      if (keepTokenHash !== undefined) q = q.where('token_hash', '<>', keepTokenHash);
      await q.execute();
    },
  };
}

/** `UserStore` over users, reseller_limits and sessions. */
export function createUsersStore(handle: DatabaseHandle): UserStore {
  const db = handle.db;
  return {
    list: () => readUsers(db),
    async byId(id) {
      return (await readUsers(db, id))[0] ?? null;
    },
    async passwordHashOf(id) {
      const r = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', id)
        .executeTakeFirst();
      return r?.password_hash ?? null;
    },
    async resellerUsage(id) {
      const r = await db
        .selectFrom('subscribers')
        .select((eb) => [
          eb.fn.countAll().as('n'),
          eb.fn.coalesce(eb.fn.sum('traffic_limit'), eb.lit(0)).as('bytes'),
        ])
        .where('created_by', '=', id)
        .executeTakeFirstOrThrow();
      return { subscribers: Number(r.n), trafficBytes: BigInt(String(r.bytes)) };
    },
    async unknownConfigurations(names) {
      if (names.length === 0) return [];
      const found = await db
        .selectFrom('configurations')
        .select('name')
        .where('name', 'in', [...names])
        .execute();
      const known = new Set(found.map((r) => r.name));
      return names.filter((n) => !known.has(n));
    },
    async transaction(work) {
      try {
        return await db.transaction().execute((trx) => work(writer(trx, handle)));
      } catch (err) {
        if (handle.dialect.constraintViolation(err) === 'unique')
          throw conflict('a user with this name was added at the same time; try again');
        throw err;
      }
    },
  };
}
