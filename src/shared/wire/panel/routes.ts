import type { Static, TSchema } from 'typebox';
import type * as Auth from './auth.js';
import type * as Configurations from './configurations.js';
import type * as Nodes from './nodes.js';
import type * as PeerJson from './peer-json.js';
import type * as Peers from './peers.js';
import type * as Info from './peers-info.js';
import type * as Usage from './usage.js';
import type * as Events from './events-settings.js';
import type * as Wgd from './wgdashboard.js';
import type * as Jobs from './peer-jobs.js';
import type * as Notify from './notifications.js';
import type * as Subs from './subscribers.js';
import type * as Audit from './audit.js';
import type * as Share from './share-links.js';
import type * as Users from './users.js';

/**
 * Every panel action that answers a JSON envelope: its method, and whether its path ends in
 * `/<configName>`. The web's `call()` reads it; test/panel/openapi.test.ts checks it against the
 * routes the panel registers. (No imports at runtime: the web bundles this object.)
 */
export const PANEL_ROUTES = {
  authenticate: { method: 'POST', config: false },
  signout: { method: 'POST', config: false },
  validateAuthentication: { method: 'GET', config: false },
  handshake: { method: 'GET', config: false },
  getDashboardAPIKeys: { method: 'GET', config: false },
  newDashboardAPIKey: { method: 'POST', config: false },
  deleteDashboardAPIKey: { method: 'POST', config: false },
  getWireguardConfigurations: { method: 'GET', config: false },
  addWireguardConfiguration: { method: 'POST', config: false },
  // GET too (WGDashboard scripts, API key only); the UI's session POSTs.
  toggleWireguardConfiguration: { method: 'POST', config: false },
  updateConfigurationPeerDefaults: { method: 'POST', config: false },
  deleteWireguardConfiguration: { method: 'POST', config: false },
  addNode: { method: 'POST', config: false },
  getNodes: { method: 'GET', config: false },
  updateNode: { method: 'POST', config: false },
  deleteNode: { method: 'POST', config: false },
  deletePeers: { method: 'POST', config: true },
  restrictPeers: { method: 'POST', config: true },
  allowAccessPeers: { method: 'POST', config: true },
  downloadPeer: { method: 'GET', config: true },
  downloadAllPeers: { method: 'GET', config: true },
  getWireguardConfigurationInfo: { method: 'GET', config: false },
  getAvailableIPs: { method: 'GET', config: true },
  addPeers: { method: 'POST', config: true },
  updatePeerSettings: { method: 'POST', config: true },
  updatePeerTrafficLimit: { method: 'POST', config: true },
  updatePeerExpiryDate: { method: 'POST', config: true },
  updatePeerTrafficWarningThreshold: { method: 'POST', config: true },
  updatePeerResetSchedule: { method: 'POST', config: true },
  updatePeerBandwidthLimit: { method: 'POST', config: true },
  updatePeerDownloadLimit: { method: 'POST', config: true },
  updatePeerUploadLimit: { method: 'POST', config: true },
  updatePeerDailyLimit: { method: 'POST', config: true },
  resetPeerData: { method: 'POST', config: true },
  getConfigurationTraffics: { method: 'GET', config: false },
  getPeerTraffics: { method: 'GET', config: false },
  getPeerEvents: { method: 'GET', config: false },
  getPanelSettings: { method: 'GET', config: false },
  updatePanelSettings: { method: 'POST', config: false },
  // WGDashboard 4.3 routes for its scripts (docs/WGDASHBOARD.md).
  requireAuthentication: { method: 'GET', config: false },
  getDashboardVersion: { method: 'GET', config: false },
  isTotpEnabled: { method: 'GET', config: false },
  protocolsEnabled: { method: 'GET', config: false },
  getNumberOfAvailableIPs: { method: 'GET', config: true },
  getPeerSessions: { method: 'GET', config: false },
  getPeerHistoricalEndpoints: { method: 'GET', config: false },
  systemStatus: { method: 'GET', config: false },
  updateWireguardConfiguration: { method: 'POST', config: false },
  renameWireguardConfiguration: { method: 'POST', config: false },
  getWireguardConfigurationRawFile: { method: 'GET', config: false },
  updateWireguardConfigurationRawFile: { method: 'POST', config: false },
  getWireguardConfigurationRealtimeTraffic: { method: 'GET', config: false },
  savePeerScheduleJob: { method: 'POST', config: false },
  deletePeerScheduleJob: { method: 'POST', config: false },
  getPeerScheduleJobLogs: { method: 'GET', config: true },
  'sharePeer/create': { method: 'POST', config: false },
  'sharePeer/update': { method: 'POST', config: false },
  'sharePeer/get': { method: 'GET', config: false },
  'webHooks/getWebHooks': { method: 'GET', config: false },
  'webHooks/createWebHook': { method: 'GET', config: false },
  'webHooks/updateWebHook': { method: 'POST', config: false },
  'webHooks/deleteWebHook': { method: 'POST', config: false },
  'webHooks/getWebHookSessions': { method: 'GET', config: false },
  'webHooks/testWebHook': { method: 'POST', config: false },
  getNotificationDeliveries: { method: 'GET', config: false },
  getNotificationSettings: { method: 'GET', config: false },
  updateNotificationSettings: { method: 'POST', config: false },
  sendTestNotification: { method: 'POST', config: false },
  'email/ready': { method: 'GET', config: false },
  'email/send': { method: 'POST', config: false },
  'email/preview': { method: 'POST', config: false },
  addSubscriber: { method: 'POST', config: false },
  getSubscribers: { method: 'GET', config: false },
  getSubscriber: { method: 'GET', config: false },
  updateSubscriber: { method: 'POST', config: false },
  updateSubscribers: { method: 'POST', config: false },
  deleteSubscriber: { method: 'POST', config: false },
  assignSubscriberPeers: { method: 'POST', config: false },
  unassignSubscriberPeers: { method: 'POST', config: false },
  restrictSubscriber: { method: 'POST', config: false },
  allowSubscriber: { method: 'POST', config: false },
  resetSubscriberData: { method: 'POST', config: false },
  rotateSubscriberToken: { method: 'POST', config: false },
  getAuditLog: { method: 'GET', config: false },
  getUsers: { method: 'GET', config: false },
  addUser: { method: 'POST', config: false },
  updateUser: { method: 'POST', config: false },
  deleteUser: { method: 'POST', config: false },
  getAccount: { method: 'GET', config: false },
  updateAccount: { method: 'POST', config: false },
  'totp/begin': { method: 'POST', config: false },
  'totp/confirm': { method: 'POST', config: false },
  'totp/disable': { method: 'POST', config: false },
} as const satisfies Record<string, { method: 'GET' | 'POST'; config: boolean }>;

/** A panel action answering a JSON envelope. */
export type PanelAction = keyof typeof PANEL_ROUTES;

type S<T extends TSchema> = Static<T>;
type Quota = S<typeof Usage.QuotaAnswer>;
type Subscriber = S<typeof Subs.SubscriberDetailJson>;

/** What each action takes (query string, JSON body) and answers (the envelope's `data`). */
export interface PanelApi {
  authenticate: { body: S<typeof Auth.AuthenticateBody>; data: null };
  signout: { data: null };
  validateAuthentication: { data: null };
  handshake: { data: null };
  getDashboardAPIKeys: { data: S<typeof Auth.ApiKeyJson>[] };
  newDashboardAPIKey: { body: S<typeof Auth.NewApiKeyBody>; data: S<typeof Auth.ApiKeyJson> };
  deleteDashboardAPIKey: { body: S<typeof Auth.DeleteApiKeyBody>; data: null };
  getWireguardConfigurations: { data: S<typeof Configurations.ConfigurationJson>[] };
  addWireguardConfiguration: {
    body: S<typeof Configurations.AddConfigurationBody>;
    data: S<typeof Configurations.ConfigurationJson>;
  };
  toggleWireguardConfiguration: {
    query: S<typeof Configurations.ToggleConfigurationQuery>;
    data: boolean;
  };
  updateConfigurationPeerDefaults: {
    body: S<typeof Configurations.UpdateConfigurationBody>;
    data: S<typeof Configurations.ConfigurationJson>;
  };
  deleteWireguardConfiguration: {
    body: S<typeof Configurations.DeleteConfigurationBody>;
    data: null;
  };
  addNode: { body: S<typeof Nodes.AddNodeBody>; data: S<typeof Nodes.AddedNodeJson> };
  getNodes: { data: S<typeof Nodes.NodeJson>[] };
  updateNode: { body: S<typeof Nodes.UpdateNodeBody>; data: S<typeof Nodes.NodeJson> };
  deleteNode: { body: S<typeof Nodes.DeleteNodeBody>; data: null };
  deletePeers: { body: S<typeof Peers.PeersBody>; data: null };
  restrictPeers: { body: S<typeof Peers.PeersBody>; data: null };
  allowAccessPeers: { body: S<typeof Peers.PeersBody>; data: null };
  downloadPeer: { query: S<typeof Peers.PeerIdQuery>; data: S<typeof Peers.ConfigFile> };
  downloadAllPeers: { data: S<typeof Peers.ConfigFile>[] };
  getWireguardConfigurationInfo: {
    query: S<typeof Info.InfoQuery>;
    data: S<typeof Info.ConfigurationInfoJson>;
  };
  getAvailableIPs: { query: S<typeof Peers.AvailableIpsQuery>; data: S<typeof Peers.AvailableIps> };
  addPeers: { body: S<typeof Peers.AddPeersBody>; data: S<typeof PeerJson.PeerJson>[] };
  updatePeerSettings: { body: S<typeof Peers.UpdatePeerBody>; data: S<typeof PeerJson.PeerJson> };
  updatePeerTrafficLimit: { body: S<typeof Usage.TrafficLimitBody>; data: Quota };
  updatePeerExpiryDate: { body: S<typeof Usage.ExpiryDateBody>; data: Quota };
  updatePeerTrafficWarningThreshold: { body: S<typeof Usage.WarningThresholdBody>; data: Quota };
  updatePeerResetSchedule: { body: S<typeof Usage.ResetScheduleBody>; data: Quota };
  updatePeerBandwidthLimit: { body: S<typeof Usage.BandwidthLimitBody>; data: Quota };
  updatePeerDownloadLimit: { body: S<typeof Usage.DownloadLimitBody>; data: Quota };
  updatePeerUploadLimit: { body: S<typeof Usage.UploadLimitBody>; data: Quota };
  updatePeerDailyLimit: { body: S<typeof Usage.DailyLimitBody>; data: Quota };
  resetPeerData: { body: S<typeof Usage.ResetDataBody>; data: Quota };
  getConfigurationTraffics: {
    query: S<typeof Usage.ConfigurationTrafficsQuery>;
    data: S<typeof Usage.ConfigurationTrafficsJson>;
  };
  getPeerTraffics: {
    query: S<typeof Usage.PeerTrafficsQuery>;
    data: S<typeof Usage.PeerTrafficJson>;
  };
  getPeerEvents: { query: S<typeof Events.PeerEventsQuery>; data: S<typeof Events.PeerEventsJson> };
  getPanelSettings: { data: S<typeof Events.PanelSettingsJson> };
  updatePanelSettings: {
    body: S<typeof Events.UpdatePanelSettingsBody>;
    data: S<typeof Events.PanelSettingsJson>;
  };
  requireAuthentication: { data: boolean };
  getDashboardVersion: { data: string };
  isTotpEnabled: { data: boolean };
  protocolsEnabled: { data: string[] };
  getNumberOfAvailableIPs: { data: S<typeof Wgd.NumberOfAvailableIps> };
  getPeerSessions: { query: S<typeof Wgd.PeerSessionsQuery>; data: S<typeof Wgd.PeerSessions> };
  getPeerHistoricalEndpoints: {
    query: S<typeof Wgd.PeerOfConfigurationQuery>;
    data: S<typeof Wgd.PeerEndpointsJson>;
  };
  systemStatus: { query: S<typeof Wgd.SystemStatusQuery>; data: S<typeof Wgd.SystemStatusJson> };
  updateWireguardConfiguration: {
    body: S<typeof Wgd.UpdateConfigurationBody>;
    data: S<typeof Configurations.ConfigurationJson>;
  };
  renameWireguardConfiguration: { body: S<typeof Wgd.RenameConfigurationBody>; data: null };
  getWireguardConfigurationRawFile: {
    query: S<typeof Wgd.ConfigurationNameQuery>;
    data: S<typeof Wgd.RawFileJson>;
  };
  updateWireguardConfigurationRawFile: { body: S<typeof Wgd.UpdateRawFileBody>; data: null };
  getWireguardConfigurationRealtimeTraffic: {
    query: S<typeof Wgd.ConfigurationNameQuery>;
    data: S<typeof Wgd.RealtimeTrafficJson>;
  };
  savePeerScheduleJob: { body: S<typeof Jobs.PeerJobBody>; data: S<typeof Jobs.PeerJobJson>[] };
  deletePeerScheduleJob: { body: S<typeof Jobs.PeerJobBody>; data: null };
  getPeerScheduleJobLogs: { data: S<typeof Jobs.PeerJobLogJson>[] };
  /** `[link]` when made; 4.3 answers the link it already shares as one object (not a list). */
  'sharePeer/create': {
    body: S<typeof Share.CreateShareLinkBody>;
    data: S<typeof Share.ShareLinkJson>[] | S<typeof Share.ShareLinkJson>;
  };
  'sharePeer/update': {
    body: S<typeof Share.UpdateShareLinkBody>;
    data: S<typeof Share.ShareLinkJson>[];
  };
  'sharePeer/get': { query: S<typeof Share.ShareIdQuery>; data: S<typeof Peers.ConfigFile> };
  'webHooks/getWebHooks': { data: S<typeof Notify.WebhookJson>[] };
  'webHooks/createWebHook': { data: S<typeof Notify.WebhookTemplateJson> };
  'webHooks/updateWebHook': { body: S<typeof Notify.UpdateWebhookBody>; data: null };
  'webHooks/deleteWebHook': { body: S<typeof Notify.WebhookIdBody>; data: null };
  'webHooks/getWebHookSessions': {
    query: S<typeof Notify.WebhookSessionsQuery>;
    data: S<typeof Notify.DeliverySessionJson>[];
  };
  'webHooks/testWebHook': {
    body: S<typeof Notify.WebhookIdBody>;
    data: S<typeof Notify.TestWebhookJson>;
  };
  getNotificationDeliveries: {
    query: S<typeof Notify.NotificationDeliveriesQuery>;
    data: S<typeof Notify.DeliverySessionJson>[];
  };
  getNotificationSettings: { data: S<typeof Notify.NotificationSettingsJson> };
  updateNotificationSettings: {
    body: S<typeof Notify.UpdateNotificationSettingsBody>;
    data: S<typeof Notify.NotificationSettingsJson>;
  };
  sendTestNotification: {
    body: S<typeof Notify.SendTestNotificationBody>;
    data: S<typeof Notify.SendTestNotificationJson>;
  };
  'email/ready': { data: boolean };
  'email/send': { body: S<typeof Notify.EmailBody>; data: null };
  'email/preview': { body: S<typeof Notify.EmailBody>; data: S<typeof Notify.EmailPreviewJson> };
  addSubscriber: { body: S<typeof Subs.AddSubscriberBody>; data: Subscriber };
  getSubscribers: {
    query: S<typeof Subs.SubscribersQuery>;
    data: S<typeof Subs.SubscriberListJson>;
  };
  getSubscriber: { query: S<typeof Subs.SubscriberIdQuery>; data: Subscriber };
  updateSubscriber: { body: S<typeof Subs.UpdateSubscriberBody>; data: Subscriber };
  updateSubscribers: { body: S<typeof Subs.UpdateSubscribersBody>; data: null };
  deleteSubscriber: { body: S<typeof Subs.DeleteSubscriberBody>; data: null };
  assignSubscriberPeers: { body: S<typeof Subs.SubscriberPeersBody>; data: Subscriber };
  unassignSubscriberPeers: { body: S<typeof Subs.SubscriberPeersBody>; data: Subscriber };
  restrictSubscriber: { body: S<typeof Subs.SubscriberIdBody>; data: Subscriber };
  allowSubscriber: { body: S<typeof Subs.SubscriberIdBody>; data: Subscriber };
  resetSubscriberData: { body: S<typeof Subs.SubscriberIdBody>; data: Subscriber };
  rotateSubscriberToken: { body: S<typeof Subs.SubscriberIdBody>; data: Subscriber };
  getAuditLog: { query: S<typeof Audit.AuditLogQuery>; data: S<typeof Audit.AuditLogJson> };
  getUsers: { data: S<typeof Users.UserJson>[] };
  addUser: { body: S<typeof Users.AddUserBody>; data: S<typeof Users.UserJson> };
  updateUser: { body: S<typeof Users.UpdateUserBody>; data: S<typeof Users.UserJson> };
  deleteUser: { body: S<typeof Users.DeleteUserBody>; data: null };
  getAccount: { data: S<typeof Users.AccountJson> };
  updateAccount: { body: S<typeof Users.UpdateAccountBody>; data: S<typeof Users.UserJson> };
  'totp/begin': { data: S<typeof Auth.TotpBeginJson> };
  'totp/confirm': { body: S<typeof Auth.TotpCodeBody>; data: S<typeof Auth.TotpRecoveryJson> };
  'totp/disable': { body: S<typeof Auth.TotpCodeBody>; data: null };
}

/** Every action of the route table has its shapes, and no more (this fails to compile otherwise). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type PanelApiCoversRoutes = Holds<Same<keyof PanelApi, PanelAction>>;
