import type { Kysely } from 'kysely';
import type { ApiKeyInfo, AuthStore } from '../../../app/auth/auth-service.js';
import type { UserBootstrapStore } from '../../../app/auth/bootstrap-admin.js';
import type { Database } from '../schema/database.js';
import type { DatabaseHandle } from '../open-database.js';

const toInfo = (r: {
  id: number;
  key_prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}): ApiKeyInfo => ({
  id: r.id,
  prefix: r.key_prefix,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

/** `AuthStore` over the users, sessions and api_keys tables. */
export function createAuthStore(handle: DatabaseHandle): AuthStore {
  const db: Kysely<Database> = handle.db;
  return {
    async findUser(username) {
      const r = await db
        .selectFrom('users')
        .select(['id', 'username', 'password_hash'])
        .where('username', '=', username)
        .executeTakeFirst();
      return r ? { id: r.id, username: r.username, passwordHash: r.password_hash } : null;
    },
    async createSession(tokenHash, userId, expiresAt) {
      await db
        .insertInto('sessions')
        .values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt })
        .execute();
    },
    async findSession(tokenHash, now) {
      const r = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id as userId', 'users.username as username'])
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst();
      return r ?? null;
    },
    async deleteSession(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteExpiredSessions(now) {
      const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async listApiKeys() {
      const rows = await db.selectFrom('api_keys').selectAll().orderBy('id').execute();
      return rows.map(toInfo);
    },
    async createApiKey(keyHash, prefix, expiresAt) {
      return handle.insertReturningId('api_keys', {
        key_hash: keyHash,
        key_prefix: prefix,
        expires_at: expiresAt,
      });
    },
    async useApiKey(keyHash, now) {
      const r = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirst();
      if (!r) return null;
      // Record use at most once a minute: no write per request under load.
      if (!r.last_used_at || now.getTime() - r.last_used_at.getTime() > 60_000)
        await db
          .updateTable('api_keys')
          .set({ last_used_at: now })
          .where('id', '=', r.id)
          .execute();
      return toInfo(r);
    },
    async deleteApiKey(by) {
      const q = db.deleteFrom('api_keys');
      const r = await (
        'id' in by ? q.where('id', '=', by.id) : q.where('key_hash', '=', by.keyHash)
      ).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/** `UserBootstrapStore` over the users table. */
export function createUserStore(handle: DatabaseHandle): UserBootstrapStore {
  return {
    async countUsers() {
      const r = await handle.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    createUser(username, passwordHash) {
      return handle.insertReturningId('users', { username, password_hash: passwordHash });
    },
  };
}
