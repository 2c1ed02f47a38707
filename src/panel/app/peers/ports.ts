import type { QuotaChange } from '../usage/quota-change.js';
import type { NodeStatus, PeerSortKey, PeerStatus } from '../../domain/vocabulary.js';
import type { NewPeer, PeerChanges, PeerRecord } from './peer-record.js';

export type { NewPeer, PeerChanges, PeerRecord } from './peer-record.js';

/** A configuration as the peers use cases see it: the interface and the node it lives on. */
export interface PeerConfiguration {
  readonly id: number;
  readonly name: string;
  readonly interfaceName: string;
  /** Interface addresses with prefix, comma-separated. */
  readonly address: string;
  readonly listenPort: number;
  readonly publicKey: string;
  readonly enabled: boolean;
  readonly mtu: number | null;
  readonly dns: string | null;
  readonly endpointAllowedIp: string | null;
  readonly keepalive: number | null;
  readonly node: {
    readonly id: number;
    readonly name: string;
    readonly url: string;
    readonly publicHost: string | null;
    readonly status: NodeStatus;
  };
}

export { PEER_SORT_KEYS, type PeerSortKey } from '../../domain/vocabulary.js';

/** Which peers of a configuration a list holds: matching a search, of one subscriber. */
export type PeerFilter = Pick<PeerListQuery, 'search' | 'subscriberId'>;

/** One page of a configuration's peers: of one status, or of both together (`null`). */
export interface PeerListQuery {
  readonly configurationId: number;
  readonly status: PeerStatus | null;
  /** Matched case-insensitively against name, public key and addresses. */
  readonly search: string | null;
  /** Only the peers of this subscriber (absent or null: every peer). */
  readonly subscriberId?: number | null;
  readonly sort: PeerSortKey;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly offset: number;
}

/** The columns of a peer that its JSON needs, plus `id` (never the key text). */
export type PeerListingColumns = Pick<
  PeerRecord,
  | 'id'
  | 'public_key'
  | 'name'
  | 'allowed_ip'
  | 'status'
  | 'restriction_reason'
  | 'restricted_at'
  | 'dns'
  | 'mtu'
  | 'keepalive'
  | 'endpoint_allowed_ip'
  | 'endpoint'
  | 'latest_handshake_at'
  | 'traffic_limit'
  | 'expiry_date'
  | 'traffic_warn_threshold'
  | 'reset_schedule'
  | 'reset_anchor'
  | 'download_bps'
  | 'upload_bps'
  | 'on_limit'
  | 'throttle_download_bps'
  | 'throttle_upload_bps'
  | 'throttled_at'
  | 'download_limit'
  | 'upload_limit'
  | 'daily_limit'
  | 'day_rx'
  | 'day_tx'
  | 'day_started_at'
  | 'period_started_at'
  | 'period_rx'
  | 'period_tx'
  | 'lifetime_rx'
  | 'lifetime_tx'
  | 'subscriber_id'
  | 'restricted_by_subscriber'
  | 'created_at'
>;

/** A peer's place in a list: what a big page reads up front, before its rows. */
export interface PeerRef {
  readonly id: number;
  readonly publicKey: string;
  readonly status: 'active' | 'restricted';
}

/** A peer as lists read it: whether the panel holds a private / preshared key, not the key. */
export type PeerListing = PeerListingColumns & {
  readonly has_private_key: boolean;
  readonly has_preshared_key: boolean;
};

/** Counts and usage sums of a configuration, by status. */
export interface PeerTotals {
  readonly active: number;
  readonly restricted: number;
  readonly periodRx: bigint;
  readonly periodTx: bigint;
  /** Peers whose last handshake is at or after the given instant. */
  readonly connected: number;
}

/** Reads of the peers area; each is one query. */
export interface PeerReader {
  findConfiguration(name: string): Promise<PeerConfiguration | null>;
  listPeers(query: PeerListQuery): Promise<PeerListing[]>;
  /** The peers `listPeers` would answer, in its order, as refs (one small read for big lists). */
  listPeerRefs(query: PeerListQuery): Promise<PeerRef[]>;
  /** The peers with these ids of a configuration, in no particular order (missing ids skipped). */
  peersByIds(configurationId: number, ids: readonly number[]): Promise<PeerListing[]>;
  totals(configurationId: number, connectedSince: Date): Promise<PeerTotals>;
  /** Matching peers by status (search and subscriber filter applied). */
  countMatching(
    configurationId: number,
    filter: PeerFilter,
  ): Promise<{ active: number; restricted: number }>;
  /** Every address string in use in the configuration (active and restricted peers). */
  allowedIps(configurationId: number): Promise<{ id: number; allowedIp: string }[]>;
  peerByKey(configurationId: number, publicKey: string): Promise<PeerRecord | null>;
  /** Every peer of a configuration, for downloading all client configs. */
  allPeers(configurationId: number): Promise<PeerRecord[]>;
}

/** An event a peers write stores (see PeerWriter.addEvent). */
export interface PeerWriteEvent {
  readonly type: 'restricted' | 'restored' | 'created' | 'updated' | 'deleted';
  readonly peer: PeerRecord;
  readonly configuration: PeerConfiguration;
  readonly message: string;
  readonly data: Record<string, string | number | boolean | null>;
  readonly at: Date;
}

/** Writes, inside one transaction. */
export interface PeerWriter {
  /** Serialises writers of one configuration (address allocation, bulk add). */
  lockConfiguration(configurationId: number): Promise<void>;
  /** Locks a subscriber's row (new peers join it); false when there is no such subscriber. */
  lockSubscriber(subscriberId: number): Promise<boolean>;
  allowedIps(configurationId: number): Promise<{ id: number; allowedIp: string }[]>;
  /** The given keys that already exist in the configuration. */
  existingKeys(configurationId: number, keys: readonly string[]): Promise<string[]>;
  insertPeers(rows: readonly NewPeer[]): Promise<void>;
  /** The peers with these keys, locked for update. */
  peersByKeys(configurationId: number, keys: readonly string[]): Promise<PeerRecord[]>;
  updatePeer(id: number, patch: PeerChanges): Promise<void>;
  deletePeers(ids: readonly number[]): Promise<void>;
  /**
   * Stores an event about a peer (manual restrict/allow; created, updated, deleted — a deleted
   * peer's before its row goes), with its notifications.
   */
  addEvent(event: PeerWriteEvent): Promise<void>;
  /** Several at once (bulk add, bulk delete): one journal write. */
  addEvents(events: readonly PeerWriteEvent[]): Promise<void>;
}

/** The store of the peers area. */
export interface PeerStore extends PeerReader {
  transaction<T>(work: (writer: PeerWriter) => Promise<T>): Promise<T>;
}

/**
 * The one owner of quota changes (the usage area's PeerQuotas): writes the change, runs the
 * policy in the same transaction, clears the ledger cache, re-plans enforcement and converges,
 * before it resolves. An empty change only runs the policy (peers just created with quotas).
 */
export interface QuotaChanges {
  change(ids: readonly number[], change: QuotaChange): Promise<unknown>;
}

/** Peers joining and leaving subscribers (the subscribers area), for updatePeerSettings. */
export interface PeerSubscriptions {
  exists(subscriberId: number): Promise<boolean>;
  /** Moves a peer to a subscriber (null: none); its subscriber's policy runs for it. */
  setSubscriber(peerId: number, subscriberId: number | null): Promise<void>;
}
