import type { SpeedQuotaColumns, SpeedQuotaPatch } from '../limit-columns.js';
import type {
  NotificationLanguage,
  ResetSchedule,
  RestrictionReason,
  ShownSubscriberStatus,
  SubscriberSortKey,
  SubscriberStatus,
} from '../../domain/vocabulary.js';
import type { ResellerAllowance, ResellerUsed } from '../../domain/reseller-limits.js';
import type { PeerConfiguration, PeerRecord, PeerWriter } from '../peers/ports.js';
import type { SubscriberQuotaChange } from '../usage/subscriber-quotas.js';

/** A stored subscriber, every column but its token hash. */
export interface SubscriberRecord extends SpeedQuotaColumns {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly telegram_chat_id: string | null;
  /** Its messages' language; null = the panel's notification language. */
  readonly language: NotificationLanguage | null;
  readonly note: string | null;
  /** SECRET: the key of its page. */
  readonly token: string;
  readonly status: SubscriberStatus;
  readonly restriction_reason: RestrictionReason | null;
  readonly restricted_at: Date | null;
  readonly traffic_limit: bigint | null;
  readonly expiry_date: Date | null;
  readonly traffic_warn_threshold: number;
  readonly reset_schedule: ResetSchedule;
  readonly reset_anchor: number | null;
  readonly on_hold_days: number | null;
  readonly activated_at: Date | null;
  readonly period_started_at: Date;
  readonly day_started_at: Date | null;
  /** The user who created it (a reseller owns what it created); null: unknown or deleted. */
  readonly created_by: number | null;
  readonly created_at: Date;
}

/** A subscriber with its usage in its period (every node) and how many peers it has. */
export interface SubscriberWithUsage extends SubscriberRecord {
  readonly usage_rx: bigint;
  readonly usage_tx: bigint;
  /** rx + tx of its peers since day_started_at (0 before its day was first counted). */
  readonly day_usage: bigint;
  readonly peer_count: number;
}

export interface SubscriberListQuery {
  /** Only those this user created (a reseller's view); null: every one. */
  readonly createdBy: number | null;
  readonly search: string | null;
  /** As shown: `throttled` is active at its throttle speed, `active` the other active ones. */
  readonly status: ShownSubscriberStatus | null;
  readonly sort: SubscriberSortKey;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly offset: number;
}

/** One of its peers, where it lives, and its usage in the subscriber's period. */
export interface SubscriberPeer {
  readonly peer: PeerRecord;
  readonly configuration: PeerConfiguration;
  readonly usageRx: bigint;
  readonly usageTx: bigint;
}

/** A stored subscriber event. */
export interface StoredSubscriberEvent {
  readonly id: number;
  readonly type: string;
  readonly message: string | null;
  readonly values: Record<string, unknown>;
  readonly createdAt: Date;
}

/** Reads of the subscribers area. */
export interface SubscriberReader {
  list(q: SubscriberListQuery): Promise<{ rows: SubscriberWithUsage[]; total: number }>;
  byId(id: number): Promise<SubscriberWithUsage | null>;
  /** By the sha256 of its token (hex): the page's lookup. Answers the stored hash too. */
  byTokenHash(hash: string): Promise<(SubscriberWithUsage & { token_hash: string }) | null>;
  peers(subscriberId: number): Promise<SubscriberPeer[]>;
  events(subscriberId: number, limit: number): Promise<StoredSubscriberEvent[]>;
  findConfiguration(name: string): Promise<PeerConfiguration | null>;
  /** public key → peer (id, its subscriber) for the keys that exist in the configuration. */
  peersByKeys(
    configurationId: number,
    keys: readonly string[],
  ): Promise<Map<string, { id: number; subscriberId: number | null }>>;
}

/** The columns a new subscriber is stored with. */
export interface NewSubscriber extends SpeedQuotaPatch {
  readonly name: string;
  readonly email: string | null;
  readonly telegram_chat_id: string | null;
  /** Its messages' language; null = the panel's notification language. */
  readonly language: NotificationLanguage | null;
  readonly note: string | null;
  readonly token: string;
  readonly token_hash: string;
  readonly traffic_limit: bigint | null;
  readonly expiry_date: Date | null;
  readonly traffic_warn_threshold?: number;
  readonly reset_schedule: ResetSchedule;
  readonly reset_anchor: number | null;
  readonly on_hold_days: number | null;
  readonly status: SubscriberStatus;
  readonly period_started_at: Date;
  readonly created_by: number | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** Fields changed outside the quota path. */
export interface SubscriberDetailsPatch {
  readonly name?: string;
  readonly email?: string | null;
  readonly telegram_chat_id?: string | null;
  readonly language?: NotificationLanguage | null;
  readonly note?: string | null;
  readonly token?: string;
  readonly token_hash?: string;
}

/** A reseller's allowance, inside the transaction that spends it. */
export interface ResellerLedger {
  /** Its limits, the row locked until the transaction ends (so concurrent spends queue). */
  lock(userId: number): Promise<(ResellerAllowance & { configurations: string[] }) | null>;
  /** A subscriber's limit and date, as this transaction sees them. */
  terms(id: number): Promise<{ traffic_limit: bigint | null; expiry_date: Date | null } | null>;
  /** Its subscribers and the sum of their traffic limits, as this transaction sees them. */
  used(userId: number): Promise<ResellerUsed>;
  /**
   * Takes bytes and days off its balance (a balance of null is not limited); a conditional
   * update, so it never goes below zero whatever ran in between: false when it would.
   */
  spend(userId: number, bytes: bigint, days: number): Promise<boolean>;
}

/** Writes, inside one transaction (peers of any configuration included, through `peers`). */
export interface SubscriberWriter {
  readonly peers: PeerWriter;
  readonly reseller: ResellerLedger;
  /** Throws conflict naming `name` when it is taken. */
  insert(row: NewSubscriber): Promise<number>;
  /** Locks the row; false when there is none. */
  lock(id: number): Promise<boolean>;
  /** Throws conflict naming `name` when it is taken. */
  update(id: number, patch: SubscriberDetailsPatch, at: Date): Promise<void>;
  delete(id: number): Promise<void>;
  /** The peers join the subscriber: each counts from its lifetime now. */
  assign(subscriberId: number, peerIds: readonly number[]): Promise<void>;
  /** The peers leave it; their usage in its period stays counted (its carried bytes). */
  unassign(peerIds: readonly number[]): Promise<void>;
  /** The subscriber of each of these peers (null: none), the peers locked. */
  ownersOf(peerIds: readonly number[]): Promise<Map<number, number | null>>;
  /** Its peers: id, configuration, public key. */
  peersOf(
    subscriberId: number,
  ): Promise<{ id: number; configurationId: number; publicKey: string }[]>;
}

export interface SubscriberStore extends SubscriberReader {
  transaction<T>(work: (w: SubscriberWriter) => Promise<T>): Promise<T>;
}

/** The one owner of subscriber quota changes (the usage area's SubscriberQuotas). */
export interface SubscriberPolicy {
  change(ids: readonly number[], change: SubscriberQuotaChange): Promise<unknown>;
  /** Decides these subscribers and these peers (just created, assigned or unassigned). */
  peersChanged(ids: readonly number[], peerIds: readonly number[]): Promise<unknown>;
  restrict(id: number): Promise<unknown>;
  allow(id: number): Promise<unknown>;
  resetUsage(id: number): Promise<unknown>;
}
