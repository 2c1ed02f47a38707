/**
 * Wire shapes of the panel API, as the UI reads them. They mirror the TypeBox schemas of the
 * server (src/panel/http/peer-json.ts, routes/fleet-nodes-routes.ts,
 * routes/fleet-configuration-json.ts, routes/peers-info-routes.ts); only the fields the UI uses.
 */
import type {
  NodeStatus,
  PeerStatus,
  ResetSchedule,
  RestrictionReason,
  TrafficInterval,
} from '../../../src/panel/domain/vocabulary';

/** `{status, message, data}`: every answer of the API. */
export interface Envelope<T> {
  readonly status: boolean;
  readonly message: string | null;
  readonly data: T;
}

export interface NodeJson {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly host: string;
  readonly public_host: string | null;
  readonly status: NodeStatus;
  readonly last_seen: string | null;
  readonly last_error: string | null;
  readonly agent_version: string | null;
  readonly rtt_ms: number | null;
  readonly configurations: number;
  readonly peers: number;
  readonly drift: number;
  readonly created_at: string;
}

export interface AddedNodeJson extends NodeJson {
  readonly adopted: readonly {
    ConfigurationName: string;
    interface: string;
    imported_peers: number;
  }[];
  readonly skipped: readonly { interface: string; reason: string }[];
}

export interface ConfigurationJson {
  readonly id: number;
  readonly Name: string;
  readonly Status: boolean;
  readonly PublicKey: string;
  readonly Address: string;
  readonly ListenPort: string;
  readonly ConnectedPeers: number;
  readonly TotalPeers: number;
  readonly ActivePeers: number;
  readonly RestrictedPeers: number;
  readonly Usage: {
    readonly period_rx: number;
    readonly period_tx: number;
    readonly lifetime_rx: number;
    readonly lifetime_tx: number;
  };
  readonly Interface: string;
  readonly Node: { readonly id: number; readonly name: string; readonly status: string };
  readonly Endpoint: string;
  readonly Drift: { readonly count: number };
  readonly SyncError: string | null;
}

export type {
  NodeStatus,
  PeerEventType,
  PeerSortKey,
  PeerStatus,
  ResetSchedule,
  RestrictionReason,
  TrafficInterval,
} from '../../../src/panel/domain/vocabulary';
export {
  PEER_EVENT_TYPES,
  PEER_SORT_KEYS,
  RESET_SCHEDULES,
} from '../../../src/panel/domain/vocabulary';

export interface PeerJson {
  readonly id: string;
  readonly name: string;
  readonly allowed_ip: string;
  readonly status: PeerStatus;
  readonly restriction_reason: RestrictionReason | null;
  readonly restricted_at: string | null;
  readonly has_private_key: boolean;
  readonly has_preshared_key: boolean;
  readonly DNS: string | null;
  readonly mtu: number | null;
  readonly keepalive: number | null;
  readonly endpoint_allowed_ip: string | null;
  readonly endpoint: string | null;
  readonly latest_handshake: string | null;
  readonly traffic_limit: number | null;
  readonly expiry_date: string | null;
  readonly traffic_warn_threshold: number;
  readonly reset_schedule: ResetSchedule;
  readonly reset_anchor: number | null;
  readonly period_started_at: string;
  readonly period_rx: number;
  readonly period_tx: number;
  readonly usage_total: number;
  readonly lifetime_total: number;
  readonly usage_percentage: number | null;
  readonly traffic_limit_exceeded: boolean;
  readonly traffic_limit_warning: boolean;
  readonly expired: boolean;
  readonly days_until_expiry: number | null;
}

export type PeerStatusFilter = 'all' | PeerStatus;

export interface ConfigurationInfoJson {
  readonly configurationInfo: {
    readonly Name: string;
    readonly Interface: string;
    readonly Address: string;
    readonly ListenPort: string;
    readonly PublicKey: string;
    readonly Status: boolean;
    readonly ConnectedPeers: number;
    readonly TotalPeers: number;
    readonly RestrictedPeers: number;
    readonly DataUsageBytes: { Receive: number; Sent: number; Total: number };
    readonly Node: { id: number; name: string; status: string; endpoint: string };
  };
  readonly configurationPeers: readonly PeerJson[];
  readonly configurationRestrictedPeers: readonly PeerJson[];
  readonly paging: {
    readonly page: number;
    readonly pageSize: number;
    readonly totalPeers: number;
    readonly totalRestrictedPeers: number;
    readonly matchedPeers: number;
    readonly matchedRestrictedPeers: number;
    readonly totalPages: number;
    /** Public keys of the page's peers in the sort order (the two lists split it by status). */
    readonly peerOrder: readonly string[];
  };
}

/** What addPeers / updatePeerSettings accept (besides the peer's identity). */
export interface PeerSettingsBody {
  name?: string;
  DNS?: string;
  mtu?: number;
  keepalive?: number;
  traffic_limit?: number | null;
  expiry_date?: string | null;
  traffic_warn_threshold?: number;
  reset_schedule?: ResetSchedule;
}

/** What the peers page can do to the selected peers at once. */
export type BulkAction =
  'limit' | 'expiry' | 'threshold' | 'schedule' | 'restrict' | 'allow' | 'reset' | 'delete';

/** One bucket of a traffic series. */
export interface TrafficPointJson {
  readonly time: string;
  readonly rx: number;
  readonly tx: number;
  readonly total: number;
}

/** `getPeerTraffics`: buckets without traffic are left out. */
export interface PeerTrafficJson {
  readonly interval: TrafficInterval;
  readonly from: string;
  readonly to: string;
  readonly series: readonly TrafficPointJson[];
}

/** `getConfigurationTraffics`: every configuration's series over one span, in one answer. */
export interface ConfigurationTrafficsJson {
  readonly interval: TrafficInterval;
  readonly from: string;
  readonly to: string;
  readonly configurations: readonly {
    readonly name: string;
    readonly series: readonly TrafficPointJson[];
  }[];
}

export interface PeerEventJson {
  readonly id: number;
  readonly type: string;
  readonly configuration: string | null;
  readonly peer_id: string | null;
  readonly peer_name: string | null;
  readonly node_id: number | null;
  readonly message: string | null;
  readonly data: Record<string, unknown>;
  readonly created_at: string;
}

export interface PeerEventsJson {
  readonly events: readonly PeerEventJson[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export interface ApiKeyJson {
  readonly id: number;
  /** The whole key only in the answer that created it; otherwise its first characters and "…". */
  readonly Key: string;
  readonly CreatedAt: string;
  readonly ExpiredAt: string | null;
  readonly LastUsedAt: string | null;
}

export interface PanelSettingsJson {
  timezone: string;
  expiry_warning_days: number;
  usage_minute_retention_hours: number;
  usage_hour_retention_days: number;
  usage_day_retention_days: number | null;
  /** Seconds, 1–3600: in force (saved, else the panel's start flag). */
  poll_interval_seconds: number;
  /** Seconds, 5–3600: longest wait between enforcement passes. */
  enforcement_interval_seconds: number;
}
