import { nodesConfigurationsPeers } from './0001-nodes-configurations-peers.js';
import { usersSessionsApiKeysSettings } from './0002-users-sessions-api-keys-settings.js';
import { peerEventsUsageSamples } from './0003-peer-events-usage-samples.js';
import { configurationCountersInstance } from './0004-configuration-counters-instance.js';
import { peerNameSortKey } from './0005-peer-name-sort-key.js';
import { configurationInterfaceStatus } from './0006-configuration-interface-status.js';
import { peerAgentTotals } from './0007-peer-agent-totals.js';
import { sealedSecretColumns } from './0008-sealed-secret-columns.js';
import { peerRateLimits } from './0009-peer-rate-limits.js';
import { peerJobLogs } from './0010-peer-job-logs.js';
import { agentCuts } from './0011-agent-cuts.js';
import { notificationsOutbox } from './0012-notifications-outbox.js';
import { subscribers } from './0013-subscribers.js';
import { shareLinksPeerJobs } from './0014-share-links-peer-jobs.js';
import { peerThrottleGranularLimits } from './0015-peer-throttle-granular-limits.js';
import { accountsRolesResellers } from './0016-accounts-roles-resellers.js';
import { auditLog } from './0017-audit-log.js';
import { clusterLeases } from './0018-cluster-leases.js';
import { totpLastStep } from './0019-totp-last-step.js';
import { subscriberLanguage } from './0020-subscriber-language.js';
import { subscriberSpeedGranularLimits } from './0021-subscriber-speed-granular-limits.js';
import type { SchemaMigration } from './schema-migration.js';

/** Every migration, oldest first. Append new ones; never reorder, rename or edit. */
export const ALL_MIGRATIONS: readonly SchemaMigration[] = [
  nodesConfigurationsPeers,
  usersSessionsApiKeysSettings,
  peerEventsUsageSamples,
  configurationCountersInstance,
  peerNameSortKey,
  configurationInterfaceStatus,
  peerAgentTotals,
  sealedSecretColumns,
  peerRateLimits,
  peerJobLogs,
  agentCuts,
  notificationsOutbox,
  subscribers,
  shareLinksPeerJobs,
  peerThrottleGranularLimits,
  accountsRolesResellers,
  auditLog,
  clusterLeases,
  totpLastStep,
  subscriberLanguage,
  subscriberSpeedGranularLimits,
];
