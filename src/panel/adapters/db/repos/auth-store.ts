import type { Kysely } from 'kysely';
import type { ApiKeyInfo, AuthStore } from '../../../app/auth/auth-service.js';
import type { UserBootstrapStore } from '../../../app/auth/bootstrap-admin.js';
import type { Role } from '../../../domain/vocabulary.js';
import { openStored, sealOrNull, totpSecretBinding } from '../secrets/secret-bindings.js';
import type { Database } from '../schema/database.js';
import type { DatabaseHandle } from '../open-database.js';

type KeyRow = {
  id: number;
  key_prefix: string;
  name: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  owner_id: number | null;
  owner_username: string | null;
  owner_role: Role | null;
};

const toInfo = (r: KeyRow): ApiKeyInfo => ({
  id: r.id,
  prefix: r.key_prefix,
  name: r.name,
  owner:
    r.owner_id === null || r.owner_username === null || r.owner_role === null
      ? null
      : { id: r.owner_id, username: r.owner_username, role: r.owner_role },
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

/** `AuthStore` over the users, sessions and api_keys tables. */
export function createAuthStore(handle: DatabaseHandle): AuthStore {
  const db: Kysely<Database> = handle.db;
  const keys = () =>
    db
      .selectFrom('api_keys')
      .leftJoin('users', 'users.id', 'api_keys.user_id')
      .select([
        'api_keys.id',
        'api_keys.key_prefix',
        'api_keys.name',
        'api_keys.created_at',
        'api_keys.expires_at',
        'api_keys.last_used_at',
        'users.id as owner_id',
        'users.username as owner_username',
        'users.role as owner_role',
      ]);
  return {
    async findUser(username) {
      const r = await db
        .selectFrom('users')
        .select([
          'id',
          'username',
          'password_hash',
          'role',
          'disabled',
          'totp_enabled',
          'totp_secret',
        ])
        .where('username', '=', username)
        .executeTakeFirst();
      return r
        ? {
            id: r.id,
            username: r.username,
            passwordHash: r.password_hash,
            role: r.role,
            disabled: r.disabled,
            totpEnabled: r.totp_enabled,
            totpSecret: openStored(handle.secrets, r.totp_secret, totpSecretBinding(r.id)),
          }
        : null;
    },
    async setTotp(userId, secret, enabled) {
      await db
        .updateTable('users')
        .set({
          totp_secret: sealOrNull(handle.secrets, secret, totpSecretBinding(userId)),
          totp_enabled: enabled,
        })
        .where('id', '=', userId)
        .execute();
    },
    async replaceRecoveryCodes(userId, hashes) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
        if (hashes.length > 0)
          await trx
            .insertInto('user_recovery_codes')
            .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
            .execute();
      });
    },
    async useTotpStep(userId, step) {
      // One conditional update: the step must be later than the last one used.
      const r = await db
        .updateTable('users')
        .set({ totp_last_step: BigInt(step) })
        .where('id', '=', userId)
        .where((eb) =>
          eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', BigInt(step))]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async useRecoveryCode(userId, hash) {
      // One delete: of two requests racing with the same code, one deletes it, one finds none.
      const r = await db
        .deleteFrom('user_recovery_codes')
        .where('user_id', '=', userId)
        .where('code_hash', '=', hash)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async anyTotpEnabled() {
      const r = await db
        .selectFrom('users')
        .select('id')
        .where('totp_enabled', '=', true)
        .where('disabled', '=', false)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
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
        .select(['users.id as userId', 'users.username as username', 'users.role as role'])
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.expires_at', '>', now)
        .where('users.disabled', '=', false)
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
    async listApiKeys(ownerId) {
      let q = keys().orderBy('api_keys.id');
      if (ownerId !== null) q = q.where('api_keys.user_id', '=', ownerId);
      return (await q.execute()).map(toInfo);
    },
    async createApiKey(keyHash, prefix, expiresAt, name, ownerId) {
      return handle.insertReturningId('api_keys', {
        key_hash: keyHash,
        key_prefix: prefix,
        expires_at: expiresAt,
        name,
        user_id: ownerId,
      });
    },
    async useApiKey(keyHash, now) {
      const r = await keys()
        .where('api_keys.key_hash', '=', keyHash)
        .where('users.disabled', '=', false)
        .where((eb) =>
          eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)]),
        )
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
    async deleteApiKey(by, ownerId) {
      let q = db.deleteFrom('api_keys');
      q = 'id' in by ? q.where('id', '=', by.id) : q.where('key_hash', '=', by.keyHash);
      if (ownerId !== null) q = q.where('user_id', '=', ownerId);
      const r = await q.executeTakeFirst();
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
