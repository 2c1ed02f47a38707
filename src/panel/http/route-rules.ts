import type { AccessRule } from '../domain/access.js';

const PUBLIC: AccessRule = { public: true };
const SIGNED_IN: AccessRule = { signedIn: true };
const need = (capability: Extract<AccessRule, { need: unknown }>['need']): AccessRule => ({
  need: capability,
});
/** A subscriber route a reseller may call too, on the subscribers it created only. */
const own = (capability: 'subscribers.read' | 'subscribers.write' | 'events.read'): AccessRule => ({
  need: capability,
  own: true,
});

/**
 * Every route of the panel and what it asks of its caller (`METHOD /url` as registered; the
 * roles' capabilities are src/panel/domain/vocabulary.ts's ROLE_CAPABILITIES). The app refuses
 * to start with a route missing here, and test/panel/role-matrix.test.ts calls every route as
 * every role. Routes answering a secret (a peer's file, an interface's raw file) need the write
 * capability: a viewer sees, but gets no keys.
 */
export const ROUTE_RULES: Readonly<Record<string, AccessRule>> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /*': PUBLIC,
  'GET /api/openapi.json': SIGNED_IN,
  'GET /sub/:token': PUBLIC,
  'GET /sub/:token/config/:peer': PUBLIC,
  'GET /sub/:token/qr/:file': PUBLIC,
  'GET /metrics': need('system.read'),

  // Sign-in and one's own account.
  'POST /api/authenticate': PUBLIC,
  'GET /api/signout': PUBLIC,
  'POST /api/signout': PUBLIC,
  'GET /api/validateAuthentication': PUBLIC,
  'GET /api/requireAuthentication': PUBLIC,
  'GET /api/getDashboardVersion': PUBLIC,
  'GET /api/isTotpEnabled': PUBLIC,
  'GET /api/handshake': SIGNED_IN,
  'GET /api/getAccount': SIGNED_IN,
  'POST /api/updateAccount': SIGNED_IN,
  'POST /api/totp/begin': SIGNED_IN,
  'POST /api/totp/confirm': SIGNED_IN,
  'POST /api/totp/disable': SIGNED_IN,
  // One's own keys (an admin sees and revokes every key).
  'GET /api/getDashboardAPIKeys': SIGNED_IN,
  'POST /api/newDashboardAPIKey': SIGNED_IN,
  'POST /api/deleteDashboardAPIKey': SIGNED_IN,

  // Users.
  'GET /api/getUsers': need('users.manage'),
  'POST /api/addUser': need('users.manage'),
  'POST /api/updateUser': need('users.manage'),
  'POST /api/deleteUser': need('users.manage'),

  // Settings and notifications (their targets are settings: admins only, reads included).
  'GET /api/getPanelSettings': need('settings.read'),
  'POST /api/updatePanelSettings': need('settings.write'),
  'GET /api/webHooks/getWebHooks': need('settings.write'),
  'GET /api/webHooks/createWebHook': need('settings.write'),
  'POST /api/webHooks/updateWebHook': need('settings.write'),
  'POST /api/webHooks/deleteWebHook': need('settings.write'),
  'GET /api/webHooks/getWebHookSessions': need('settings.write'),
  'POST /api/webHooks/testWebHook': need('settings.write'),
  'GET /api/getNotificationDeliveries': need('events.read'),
  'GET /api/getNotificationSettings': need('settings.write'),
  'POST /api/updateNotificationSettings': need('settings.write'),
  'POST /api/sendTestNotification': need('settings.write'),
  'GET /api/email/ready': need('settings.read'),
  'POST /api/email/send': need('peers.write'),
  'POST /api/email/preview': need('peers.read'),

  // Nodes.
  'POST /api/addNode': need('nodes.write'),
  'GET /api/getNodes': need('nodes.read'),
  'POST /api/updateNode': need('nodes.write'),
  'POST /api/deleteNode': need('nodes.write'),
  'GET /api/systemStatus': need('system.read'),
  'GET /api/protocolsEnabled': need('system.read'),

  // Configurations (a node's interfaces).
  'GET /api/getWireguardConfigurations': need('configurations.read'),
  'POST /api/addWireguardConfiguration': need('configurations.write'),
  'GET /api/toggleWireguardConfiguration': need('configurations.write'),
  'POST /api/toggleWireguardConfiguration': need('configurations.write'),
  'POST /api/updateConfigurationPeerDefaults': need('configurations.write'),
  'POST /api/deleteWireguardConfiguration': need('configurations.write'),
  'POST /api/updateWireguardConfiguration': need('configurations.write'),
  'POST /api/renameWireguardConfiguration': need('configurations.write'),
  'GET /api/getWireguardConfigurationRawFile': need('configurations.write'),
  'POST /api/updateWireguardConfigurationRawFile': need('configurations.write'),
  'GET /api/getWireguardConfigurationRealtimeTraffic': need('configurations.read'),
  'GET /api/getWireguardConfigurationBackup': need('configurations.write'),
  'GET /api/getAllWireguardConfigurationBackup': need('configurations.write'),
  'GET /api/createWireguardConfigurationBackup': need('configurations.write'),
  'POST /api/deleteWireguardConfigurationBackup': need('configurations.write'),
  'GET /api/downloadWireguardConfigurationBackup': need('configurations.write'),
  'POST /api/restoreWireguardConfigurationBackup': need('configurations.write'),

  // Peers.
  'GET /api/getWireguardConfigurationInfo': need('peers.read'),
  'GET /api/getAvailableIPs/:configName': need('peers.read'),
  'GET /api/getNumberOfAvailableIPs/:configName': need('peers.read'),
  'POST /api/addPeers/:configName': need('peers.write'),
  'POST /api/updatePeerSettings/:configName': need('peers.write'),
  'POST /api/deletePeers/:configName': need('peers.write'),
  'POST /api/restrictPeers/:configName': need('peers.write'),
  'POST /api/allowAccessPeers/:configName': need('peers.write'),
  'GET /api/downloadPeer/:configName': need('peers.write'),
  'GET /api/downloadAllPeers/:configName': need('peers.write'),
  'GET /api/downloadPeerQRCode/:configName': need('peers.write'),
  'POST /api/updatePeerTrafficLimit/:configName': need('peers.write'),
  'POST /api/updatePeerExpiryDate/:configName': need('peers.write'),
  'POST /api/updatePeerTrafficWarningThreshold/:configName': need('peers.write'),
  'POST /api/updatePeerResetSchedule/:configName': need('peers.write'),
  'POST /api/updatePeerBandwidthLimit/:configName': need('peers.write'),
  'POST /api/updatePeerDownloadLimit/:configName': need('peers.write'),
  'POST /api/updatePeerUploadLimit/:configName': need('peers.write'),
  'POST /api/updatePeerDailyLimit/:configName': need('peers.write'),
  'POST /api/resetPeerData/:configName': need('peers.write'),
  'GET /api/getPeerSessions': need('peers.read'),
  'GET /api/getPeerHistoricalEndpoints': need('peers.read'),
  'POST /api/savePeerScheduleJob': need('peers.write'),
  // Share links (4.3): making one hands out a peer's keys; opening one needs no sign-in.
  'POST /api/sharePeer/create': need('peers.write'),
  'POST /api/sharePeer/update': need('peers.write'),
  'GET /api/sharePeer/get': PUBLIC,
  'GET /share': PUBLIC,
  'GET /share/config': PUBLIC,
  'GET /share/qr.png': PUBLIC,
  'POST /api/deletePeerScheduleJob': need('peers.write'),
  'GET /api/getPeerScheduleJobLogs/:configName': need('peers.read'),

  // Usage and events.
  'GET /api/getPeerEvents': need('events.read'),
  'GET /api/getPeerTraffics': need('peers.read'),
  'GET /api/exportUsageCsv': need('peers.read'),
  'GET /api/getConfigurationTraffics': need('peers.read'),
  // The audit log: a reseller reads its own entries.
  'GET /api/getAuditLog': own('events.read'),
  'GET /api/exportAuditCsv': own('events.read'),

  // Subscribers (a reseller: the ones it created).
  'GET /api/getSubscribers': own('subscribers.read'),
  'GET /api/getSubscriber': own('subscribers.read'),
  'POST /api/addSubscriber': own('subscribers.write'),
  'POST /api/updateSubscriber': own('subscribers.write'),
  'POST /api/deleteSubscriber': own('subscribers.write'),
  'POST /api/restrictSubscriber': own('subscribers.write'),
  'POST /api/allowSubscriber': own('subscribers.write'),
  'POST /api/rotateSubscriberToken': own('subscribers.write'),
  // Not for resellers: many at once, other peers joining, and a reset would hand out traffic.
  'POST /api/updateSubscribers': need('subscribers.write'),
  'POST /api/assignSubscriberPeers': need('subscribers.write'),
  'POST /api/unassignSubscriberPeers': need('subscribers.write'),
  'POST /api/resetSubscriberData': need('subscribers.write'),
};

/** The rule of a registered route (`HEAD` is its `GET`); undefined when it has none. */
export const ruleOf = (method: string, url: string): AccessRule | undefined =>
  ROUTE_RULES[`${method === 'HEAD' ? 'GET' : method} ${url}`];
