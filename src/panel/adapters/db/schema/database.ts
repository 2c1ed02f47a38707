import type { AgentCutsTable } from './agent-cuts-table.js';
import type { ClusterLeasesTable, ClusterPanelsTable } from './cluster-tables.js';
import type { AuditLogTable } from './audit-log-table.js';
import type {
  ApiKeysTable,
  ResellerLimitsTable,
  SessionsTable,
  SettingsTable,
  UserRecoveryCodesTable,
  UsersTable,
} from './auth-tables.js';
import type { ConfigurationsTable } from './configurations-table.js';
import type { NodesTable } from './nodes-table.js';
import type {
  NotificationAttemptsTable,
  NotificationDeliveriesTable,
  WebhooksTable,
} from './notifications-tables.js';
import type { PeerEventsTable } from './peer-events-table.js';
import type { PeerJobLogsTable } from './peer-job-logs-table.js';
import type { PeersTable } from './peers-table.js';
import type { PeerJobsTable, PeerShareLinksTable } from './share-links-jobs-tables.js';
import type { SubscriberEventsTable } from './subscriber-events-table.js';
import type { SubscribersTable } from './subscribers-table.js';
import type { UsageSamplesTable } from './usage-samples-table.js';

/** The panel's schema, as Kysely sees it: table name → row interface. */
export interface Database {
  nodes: NodesTable;
  configurations: ConfigurationsTable;
  peers: PeersTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  settings: SettingsTable;
  peer_events: PeerEventsTable;
  peer_usage_minute: UsageSamplesTable;
  peer_usage_hour: UsageSamplesTable;
  peer_usage_day: UsageSamplesTable;
  peer_job_logs: PeerJobLogsTable;
  agent_cuts: AgentCutsTable;
  webhooks: WebhooksTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_attempts: NotificationAttemptsTable;
  subscribers: SubscribersTable;
  subscriber_events: SubscriberEventsTable;
  peer_share_links: PeerShareLinksTable;
  peer_jobs: PeerJobsTable;
  audit_log: AuditLogTable;
  user_recovery_codes: UserRecoveryCodesTable;
  reseller_limits: ResellerLimitsTable;
  cluster_panels: ClusterPanelsTable;
  cluster_leases: ClusterLeasesTable;
}

/** Tables whose primary key is an auto-incremented integer `id`. */
export type TableWithId =
  | 'nodes'
  | 'configurations'
  | 'peers'
  | 'users'
  | 'api_keys'
  | 'peer_events'
  | 'peer_job_logs'
  | 'subscribers'
  | 'subscriber_events'
  | 'audit_log'
  | 'user_recovery_codes';
