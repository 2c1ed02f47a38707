import type { AdminSeat } from '../../domain/accounts.js';
import type { Role } from '../../domain/vocabulary.js';

/** What an admin allows a reseller, and its prepaid balance left; null: not limited. */
export interface ResellerLimits {
  readonly maxSubscribers: number | null;
  /** The most its subscribers' traffic limits may add up to. */
  readonly maxTrafficBytes: bigint | null;
  /** The farthest a subscriber's expiry may be, in days from now. */
  readonly maxExpiryDays: number | null;
  /** The configurations (names) it may put peers on. */
  readonly configurations: readonly string[];
  readonly balanceBytes: bigint | null;
  readonly balanceDays: number | null;
}

/** A user as listed (never its password hash or TOTP secret). */
export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly totpEnabled: boolean;
  readonly createdAt: Date;
  /** A reseller's limits; null for other roles. */
  readonly limits: ResellerLimits | null;
}

/** Writes on users, inside one transaction. */
export interface UserWriter {
  /** Throws conflict naming `username` when it is taken. */
  insert(row: { username: string; passwordHash: string; role: Role }): Promise<number>;
  /** Every user's seat (role, disabled), the rows locked: the last-admin rule reads them. */
  lockSeats(): Promise<AdminSeat[]>;
  /** Throws conflict naming `username` when it is taken. */
  update(
    id: number,
    patch: { username?: string; passwordHash?: string; role?: Role; disabled?: boolean },
    at: Date,
  ): Promise<void>;
  /** Sets (or with null removes) a reseller's limits. */
  setLimits(id: number, limits: ResellerLimits | null): Promise<void>;
  delete(id: number): Promise<void>;
  /** Ends the user's sessions (but `keep`, the caller's own). */
  endSessions(id: number, keepTokenHash?: string): Promise<void>;
}

/** The users' storage. */
export interface UserStore {
  list(): Promise<UserRecord[]>;
  byId(id: number): Promise<UserRecord | null>;
  passwordHashOf(id: number): Promise<string | null>;
  /** What a reseller has handed out: its subscribers and the sum of their traffic limits. */
  resellerUsage(id: number): Promise<{ subscribers: number; trafficBytes: bigint }>;
  /** The names of these that are no configuration. */
  unknownConfigurations(names: readonly string[]): Promise<string[]>;
  transaction<T>(work: (w: UserWriter) => Promise<T>): Promise<T>;
}
