import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '../../../domain/vocabulary.js';

/** `users`: the panel's people, each with a role. */
export interface UsersTable {
  id: Generated<number>;
  /** Unique, case-sensitive on every dialect. */
  username: string;
  /** A self-describing password hash (scrypt or argon2 with its parameters), never the password. */
  password_hash: string;
  /** What the user may do (CHECK: the domain's ROLES); `admin` for users made before roles. */
  role: Generated<Role>;
  /** A disabled user cannot sign in; its sessions and keys stop working. */
  disabled: Generated<boolean>;
  /** SECRET: the TOTP secret (base32), sealed (`users.totp_secret|<id>`); set by totp/begin. */
  totp_secret: string | null;
  /** The second factor is asked at sign-in (a code confirmed the secret). */
  totp_enabled: Generated<boolean>;
  /** The time step of the last TOTP code used (null: none yet); only a later one is accepted. */
  totp_last_step: bigint | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** `user_recovery_codes`: one-time TOTP recovery codes, their sha256 only; used = deleted. */
export interface UserRecoveryCodesTable {
  id: Generated<number>;
  /** → users.id, ON DELETE CASCADE. */
  user_id: number;
  code_hash: string;
  created_at: Generated<Date>;
}

/** `reseller_limits`: what an admin allows a reseller; null = not limited. */
export interface ResellerLimitsTable {
  /** Primary key; → users.id, ON DELETE CASCADE. */
  user_id: number;
  max_subscribers: number | null;
  /** The most its subscribers' traffic limits may add up to. */
  max_traffic_bytes: bigint | null;
  /** The farthest a subscriber's expiry may be, in days from now. */
  max_expiry_days: number | null;
  /** JSON array of the configuration names it may put peers on. */
  configurations: string;
  /** Prepaid bytes left (CHECK >= 0): creating or extending a subscriber spends its limit. */
  balance_bytes: bigint | null;
  /** Prepaid days left (CHECK >= 0): spent by a subscriber's days until expiry. */
  balance_days: number | null;
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
  /** A name its owner gave it (null for keys made before names). */
  name: string | null;
  /** → users.id, ON DELETE CASCADE: the key acts as this user. */
  user_id: number | null;
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
