import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** `users`: panel administrators. */
export interface UsersTable {
  id: Generated<number>;
  /** Unique, case-sensitive on every dialect. */
  username: string;
  /** A self-describing password hash (scrypt or argon2 with its parameters), never the password. */
  password_hash: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** `sessions`: browser sessions; the cookie holds a random token, the table only its hash. */
export interface SessionsTable {
  /** Primary key: hash of the session token. */
  token_hash: string;
  /** → users.id, ON DELETE CASCADE. */
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
}

/** `api_keys`: keys accepted in the `wg-dashboard-apikey` header, stored hashed. */
export interface ApiKeysTable {
  id: Generated<number>;
  /** Unique hash of the key; the key itself is shown once and never stored. */
  key_hash: string;
  /** The first characters of the key, to tell keys apart in a list. */
  key_prefix: string;
  created_at: Generated<Date>;
  /** Null = never expires. */
  expires_at: Date | null;
  last_used_at: Date | null;
}

/** `settings`: panel-wide key/value settings (values are strings; JSON where structured). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<Date>;
}

/** A `users` row as read. */
export type UserRow = Selectable<UsersTable>;
/** A `users` row to insert. */
export type UserInsert = Insertable<UsersTable>;
/** A partial `users` row to update. */
export type UserUpdate = Updateable<UsersTable>;
/** A `sessions` row as read. */
export type SessionRow = Selectable<SessionsTable>;
/** A `sessions` row to insert. */
export type SessionInsert = Insertable<SessionsTable>;
/** An `api_keys` row as read. */
export type ApiKeyRow = Selectable<ApiKeysTable>;
/** An `api_keys` row to insert. */
export type ApiKeyInsert = Insertable<ApiKeysTable>;
/** A `settings` row as read. */
export type SettingRow = Selectable<SettingsTable>;
