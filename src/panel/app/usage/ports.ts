import type { Fence } from '../cluster/ports.js';
import type {
  OnLimitAction,
  PeerStatus,
  ResetSchedule,
  RestrictionReason,
} from '../../domain/vocabulary.js';
import type { PeerEvent } from '../events/peer-event.js';
import type { LedgerRow, PolicyChange, UsageBatch, UsagePeerRow } from './usage-row.js';
import type { SampleRow } from './samples-ports.js';
import type { SubscriberEvent } from '../events/subscriber-event.js';
import type {
  SubscriberPolicyChange,
  SubscriberPolicyRow,
  SubscriberQuotaPatch,
} from './subscriber-row.js';

/**
 * The writes of one transaction of the usage area. Rows read through it are locked until the
 * transaction ends (PostgreSQL/MySQL row locks; SQLite holds its write lock), so the ledger and
 * the policy read-modify-write without losing a concurrent change.
 */
export interface UsageUnitOfWork {
  /**
   * The interface incarnation the configuration's raw counters were read from (null: unknown),
   * and the one to remember from now on.
   */
  countersInstance(configurationId: number): Promise<string | null>;
  setCountersInstance(configurationId: number, instance: string): Promise<void>;
  /** Every peer of a configuration, locked: the few columns the ledger needs. */
  ledgerRows(configurationId: number): Promise<LedgerRow[]>;
  /** These peers (those that exist), locked. */
  peersByIds(ids: readonly number[]): Promise<UsagePeerRow[]>;
  /**
   * Adds the deltas to period and lifetime usage, stores raw counters, endpoint, handshake.
   * Returns how many peers were written (fewer when the expected raw counters did not match, see
   * UsageBatch). The batch is the caller's again once the promise settles.
   */
  addUsage(updates: UsageBatch): Promise<number>;
  /** Adds minute rows (bytes into the bucket of each row, UTC; upsert-add). */
  addSamples(rows: readonly SampleRow[]): Promise<void>;
  /** Writes policy decisions. */
  applyPolicy(changes: readonly PolicyChange[]): Promise<void>;
  /** Stores events. */
  insertEvents(events: readonly PeerEvent[]): Promise<void>;
  /** Writes the same settings to these peers (an API change). */
  updatePeers(ids: readonly number[], patch: PeerQuotaPatch): Promise<void>;
  /** The configuration's peers with these public keys (those that exist), locked. */
  peersByKeys(configurationId: number, keys: readonly string[]): Promise<UsagePeerRow[]>;
  /** Of these agent cut records, the ids already recorded for the configuration. */
  recordedCuts(configurationId: number, ids: readonly string[]): Promise<Set<string>>;
  /** Remembers these records as recorded (until `UsageStore.forgetCuts`). */
  rememberCuts(configurationId: number, ids: readonly string[], at: Date): Promise<void>;
  /**
   * Adds a node's cut to one peer's period and lifetime usage and, when `totals` is given, stores
   * them as the agent's totals last counted (raw counters, endpoint and handshake unchanged).
   */
  addCutUsage(cut: CutUsage): Promise<void>;

  /**
   * These subscribers (those that exist), locked in id order, with their usage read after the
   * lock (so it includes every ingest committed before).
   */
  subscribersForPolicy(ids: readonly number[]): Promise<SubscriberPolicyRow[]>;
  /** Writes subscriber decisions; a reset zeroes carried bytes and sets each peer's base. */
  applySubscriberPolicy(changes: readonly SubscriberPolicyChange[]): Promise<void>;
  insertSubscriberEvents(events: readonly SubscriberEvent[]): Promise<void>;
  /** The peers of these subscribers, by id. */
  peerIdsOfSubscribers(ids: readonly number[]): Promise<number[]>;
  /** Writes the same quota settings to these subscribers (an API change). */
  updateSubscribers(ids: readonly number[], patch: SubscriberQuotaPatch): Promise<void>;
}

/** What one agent cut adds to a peer (see UsageUnitOfWork.addCutUsage). */
export interface CutUsage {
  readonly id: number;
  readonly deltaRx: bigint;
  readonly deltaTx: bigint;
  readonly totals: { readonly rx: bigint; readonly tx: bigint; readonly epoch: string } | null;
}

/** What the API changes on peers; period_rx/period_tx can only be zeroed. */
export interface PeerQuotaPatch {
  readonly traffic_limit?: bigint | null;
  readonly expiry_date?: Date | null;
  readonly expiry_warned_for?: null;
  readonly traffic_warn_threshold?: number;
  readonly reset_schedule?: ResetSchedule;
  readonly reset_anchor?: number | null;
  readonly download_bps?: bigint | null;
  readonly upload_bps?: bigint | null;
  readonly on_limit?: OnLimitAction;
  readonly throttle_download_bps?: bigint | null;
  readonly throttle_upload_bps?: bigint | null;
  readonly download_limit?: bigint | null;
  readonly upload_limit?: bigint | null;
  readonly daily_limit?: bigint | null;
  readonly period_started_at?: Date;
  readonly period_rx?: 0n;
  readonly period_tx?: 0n;
}

/** Finds configurations and peers as the API names them. */
export interface PeerDirectory {
  configurationByName(name: string): Promise<{ id: number; nodeId: number } | null>;
  /** public key → peer id, for the keys that exist in the configuration. */
  peerIdsByKeys(configurationId: number, keys: readonly string[]): Promise<Map<string, number>>;
}

/** A peer as the CSV export lists it. */
export interface ReportPeer {
  readonly id: number;
  readonly name: string;
  readonly public_key: string;
  readonly allowed_ip: string;
  readonly status: PeerStatus;
  readonly restriction_reason: RestrictionReason | null;
  readonly traffic_limit: bigint | null;
}

/** The usage area's storage. */
export interface UsageStore {
  /**
   * Runs `work` in one transaction (rolled back when it throws). With `fence`, the transaction
   * commits only while that lease still holds (checked last, inside it): else nothing is written
   * and it throws LeaseLostError.
   */
  transaction<T>(work: (uow: UsageUnitOfWork) => Promise<T>, fence?: Fence): Promise<T>;
  /**
   * Peers the policy may act on without new traffic (limit, expiry, schedule, policy state); not
   * locked. One page: at most `limit` of them with an id above `afterId`, by id.
   */
  policyCandidates(afterId: number, limit: number): Promise<UsagePeerRow[]>;
  /** The earliest expiry date after `now` among active peers and subscribers, to wake the policy then. */
  nextExpiry(now: Date): Promise<Date | null>;
  /** The agent forgot every cut of the configuration it had listed: their ids go. */
  forgetCuts(configurationId: number): Promise<void>;
  /**
   * Subscribers the policy may act on without new traffic (limit, expiry, schedule, on hold,
   * policy state), with their usage; not locked. One page by id, as policyCandidates.
   */
  subscriberCandidates(afterId: number, limit: number): Promise<SubscriberPolicyRow[]>;
  /** These subscribers with their usage, not locked (the ingest's estimates). */
  subscribersWithUsage(ids: readonly number[]): Promise<SubscriberPolicyRow[]>;
}

/** Makes configurations match the database (removes restricted peers, re-adds restored ones). */
export interface Converger {
  converge(configurationId: number): Promise<unknown>;
}
