import type { AuditTarget } from '../../app/audit/audit-entry.js';
import type { SnapshotRef } from '../../app/audit/snapshots.js';
import type { AuditTargetKind } from '../../domain/vocabulary.js';
import type { AuditRequest, AuditRule, AuditRules } from './audit-rule.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const target = (kind: AuditTargetKind, ids: Record<string, unknown>): AuditTarget => ({
  kind,
  ids,
});

// ---- peers of a configuration (path `:configName`) ----
const configOf = (r: AuditRequest) => str(r.params.configName) ?? '';
/** A quota body names one peer (`id`) or many (`peers`). */
const peerKeys = (r: AuditRequest) => {
  const one = str(r.body.id);
  return one !== undefined ? [one] : strings(r.body.peers);
};
const peersTarget = (configuration: string, keys: readonly string[]) =>
  target('peer', { configuration, peers: keys.slice(0, 200), count: keys.length });
const peersState = (configuration: string, keys: readonly string[]): SnapshotRef | null =>
  configuration && keys.length > 0 ? { kind: 'peers', configuration, publicKeys: keys } : null;
const peerRule = (action: string): AuditRule => ({
  action,
  target: (r) => peersTarget(configOf(r), peerKeys(r)),
  state: (r) => peersState(configOf(r), peerKeys(r)),
});
const answerKeys = (data: unknown) =>
  Array.isArray(data) ? data.map((p) => str(obj(p).id)).filter((k) => k !== undefined) : [];

// ---- a user (an admin's users routes, or one's own account) ----
const userRule = (action: string, idOf: (r: AuditRequest) => number | undefined): AuditRule => ({
  action,
  target: (r) => target('account', { id: idOf(r) ?? null }),
  state: (r) => {
    const id = idOf(r);
    return id === undefined ? null : { kind: 'user', id };
  },
});

// ---- a configuration named in the body or query ----
const configurationRule = (
  action: string,
  nameOf: (r: AuditRequest) => string | undefined,
): AuditRule => ({
  action,
  target: (r) => target('configuration', { configuration: nameOf(r) ?? null }),
  state: (r) => {
    const name = nameOf(r);
    return name ? { kind: 'configuration', name } : null;
  },
});
const bodyName = (field: string) => (r: AuditRequest) => str(r.body[field]);

// ---- a peer job (4.3): a view of one peer's limit or date ----
const jobOf = (r: AuditRequest) => obj(r.body.Job);
const jobRule = (action: string): AuditRule => ({
  action,
  target: (r) =>
    target('peer', {
      configuration: str(jobOf(r).Configuration) ?? null,
      peers: [str(jobOf(r).Peer) ?? null],
      job: str(jobOf(r).JobID) ?? null,
    }),
  state: (r) =>
    peersState(str(jobOf(r).Configuration) ?? '', [str(jobOf(r).Peer) ?? ''].filter(Boolean)),
});

// ---- nodes ----
const nodeRef = (r: AuditRequest): SnapshotRef | null => {
  const id = int(r.body.id);
  const name = str(r.body.name);
  if (id !== undefined) return { kind: 'node', id };
  return name !== undefined ? { kind: 'node', name } : null;
};
const nodeRule = (action: string): AuditRule => ({
  action,
  target: (r) => target('node', { id: int(r.body.id) ?? null, name: str(r.body.name) ?? null }),
  state: nodeRef,
});

// ---- subscribers ----
const subscriberRule = (action: string): AuditRule => ({
  action,
  target: (r) => target('subscriber', { id: int(r.body.id) ?? null }),
  state: (r) => {
    const id = int(r.body.id);
    return id === undefined ? null : { kind: 'subscribers', ids: [id] };
  },
});

// ---- webhooks ----
const webhookRule = (action: string, withState = true): AuditRule => ({
  action,
  target: (r) => target('webhook', { id: str(r.body.WebHookID) ?? null }),
  ...(withState && {
    state: (r: AuditRequest): SnapshotRef | null => {
      const id = str(r.body.WebHookID);
      return id ? { kind: 'webhook', id } : null;
    },
  }),
});

const notAudited = (why: string) => ({ notAudited: why });

/**
 * THE audit rule of every mutating route of the panel (test/panel/audit-rules.test.ts fails for a
 * mutating route of the route table without one). The recorder (audit-recorder.ts) reads `state`
 * before the handler and after it, and records the fields that changed.
 */
export const AUDIT_RULES: AuditRules = {
  // Sign-in: success and failure, under the name tried (the password is never read here).
  'POST /api/authenticate': {
    action: 'authenticate',
    target: (r) => target('account', { username: str(r.body.username) ?? null }),
    actor: (r) => ({ username: str(r.body.username) ?? null, apiKeyName: null }),
  },
  'POST /api/signout': { action: 'signout', identify: true },
  // Users and one's own account (never a password, a TOTP secret or a recovery code).
  'POST /api/addUser': {
    action: 'addUser',
    target: (r, data) =>
      target('account', { id: int(obj(data).id) ?? null, username: str(r.body.username) ?? null }),
    stateAfter: (_r, data) => {
      const id = int(obj(data).id);
      return id === undefined ? null : { kind: 'user', id };
    },
  },
  'POST /api/updateUser': userRule('updateUser', (r) => int(r.body.id)),
  'POST /api/deleteUser': userRule('deleteUser', (r) => int(r.body.id)),
  'POST /api/updateAccount': userRule('updateAccount', (r) => r.userId),
  'POST /api/totp/begin': userRule('totp/begin', (r) => r.userId),
  'POST /api/totp/confirm': userRule('totp/confirm', (r) => r.userId),
  'POST /api/totp/disable': userRule('totp/disable', (r) => r.userId),
  'POST /api/newDashboardAPIKey': {
    action: 'newDashboardAPIKey',
    target: (_r, data) => target('api_key', { id: int(obj(data).id) ?? null }),
    stateAfter: (_r, data) => {
      const id = int(obj(data).id);
      return id === undefined ? null : { kind: 'api_key', id };
    },
  },
  'POST /api/deleteDashboardAPIKey': {
    action: 'deleteDashboardAPIKey',
    // By id only: a key sent in the body is the secret itself.
    target: (r) => target('api_key', { id: int(r.body.id) ?? null }),
    state: (r) => {
      const id = int(r.body.id);
      return id === undefined ? null : { kind: 'api_key', id };
    },
  },

  'POST /api/addNode': {
    action: 'addNode',
    target: (r, data) =>
      target('node', { id: int(obj(data).id) ?? null, name: str(r.body.name) ?? null }),
    stateAfter: (r) => nodeRef({ ...r, body: { name: r.body.name } }),
  },
  'POST /api/updateNode': nodeRule('updateNode'),
  'POST /api/deleteNode': nodeRule('deleteNode'),

  'POST /api/addWireguardConfiguration': configurationRule(
    'addWireguardConfiguration',
    bodyName('ConfigurationName'),
  ),
  'POST /api/toggleWireguardConfiguration': configurationRule('toggleWireguardConfiguration', (r) =>
    str(r.query.configurationName),
  ),
  'GET /api/toggleWireguardConfiguration': configurationRule('toggleWireguardConfiguration', (r) =>
    str(r.query.configurationName),
  ),
  'POST /api/updateConfigurationPeerDefaults': configurationRule(
    'updateConfigurationPeerDefaults',
    bodyName('Name'),
  ),
  'POST /api/deleteWireguardConfiguration': configurationRule(
    'deleteWireguardConfiguration',
    bodyName('ConfigurationName'),
  ),
  'POST /api/updateWireguardConfiguration': configurationRule(
    'updateWireguardConfiguration',
    bodyName('Name'),
  ),
  'POST /api/renameWireguardConfiguration': {
    ...configurationRule('renameWireguardConfiguration', bodyName('ConfigurationName')),
    target: (r) =>
      target('configuration', {
        configuration: str(r.body.ConfigurationName) ?? null,
        new_name: str(r.body.NewConfigurationName) ?? null,
      }),
    stateAfter: (r) => {
      const name = str(r.body.NewConfigurationName);
      return name ? { kind: 'configuration', name } : null;
    },
  },
  // The file itself (it holds the interface's private key) is never recorded: the fields are.
  'POST /api/updateWireguardConfigurationRawFile': configurationRule(
    'updateWireguardConfigurationRawFile',
    bodyName('configurationName'),
  ),
  // 4.3's backup routes are declined (501); the attempt is still recorded.
  'POST /api/deleteWireguardConfigurationBackup': {
    action: 'deleteWireguardConfigurationBackup',
    target: (r) =>
      target('configuration', { configuration: str(r.body.configurationName) ?? null }),
  },
  'POST /api/restoreWireguardConfigurationBackup': {
    action: 'restoreWireguardConfigurationBackup',
    target: (r) =>
      target('configuration', { configuration: str(r.body.configurationName) ?? null }),
  },

  'POST /api/addPeers/:configName': {
    action: 'addPeers',
    target: (r, data) => peersTarget(configOf(r), answerKeys(data)),
    stateAfter: (r, data) => peersState(configOf(r), answerKeys(data)),
  },
  'POST /api/updatePeerSettings/:configName': peerRule('updatePeerSettings'),
  'POST /api/deletePeers/:configName': peerRule('deletePeers'),
  'POST /api/restrictPeers/:configName': peerRule('restrictPeers'),
  'POST /api/allowAccessPeers/:configName': peerRule('allowAccessPeers'),
  'POST /api/updatePeerTrafficLimit/:configName': peerRule('updatePeerTrafficLimit'),
  'POST /api/updatePeerExpiryDate/:configName': peerRule('updatePeerExpiryDate'),
  'POST /api/updatePeerTrafficWarningThreshold/:configName': peerRule(
    'updatePeerTrafficWarningThreshold',
  ),
  'POST /api/updatePeerResetSchedule/:configName': peerRule('updatePeerResetSchedule'),
  'POST /api/updatePeerBandwidthLimit/:configName': peerRule('updatePeerBandwidthLimit'),
  'POST /api/updatePeerDownloadLimit/:configName': peerRule('updatePeerDownloadLimit'),
  'POST /api/updatePeerUploadLimit/:configName': peerRule('updatePeerUploadLimit'),
  'POST /api/updatePeerDailyLimit/:configName': peerRule('updatePeerDailyLimit'),
  'POST /api/resetPeerData/:configName': peerRule('resetPeerData'),
  // A share link's ShareID opens the peer's config without sign-in: it is recorded as the peer it
  // shares (create) or not at all (update), never the ID itself.
  'POST /api/sharePeer/create': {
    action: 'sharePeer/create',
    target: (r) =>
      target('peer', {
        configuration: str(r.body.Configuration) ?? null,
        peers: [str(r.body.Peer) ?? null],
        expire_date: str(r.body.ExpireDate) ?? null,
      }),
  },
  'POST /api/sharePeer/update': {
    action: 'sharePeer/update',
    target: (r) => target('peer', { expire_date: str(r.body.ExpireDate) ?? null }),
  },
  'POST /api/savePeerScheduleJob': jobRule('savePeerScheduleJob'),
  'POST /api/deletePeerScheduleJob': jobRule('deletePeerScheduleJob'),

  'POST /api/updatePanelSettings': {
    action: 'updatePanelSettings',
    target: () => target('settings', { settings: 'panel' }),
    state: () => ({ kind: 'panel_settings' }),
  },
  'POST /api/updateNotificationSettings': {
    action: 'updateNotificationSettings',
    target: () => target('settings', { settings: 'notifications' }),
    state: () => ({ kind: 'notification_settings' }),
  },
  'POST /api/sendTestNotification': {
    action: 'sendTestNotification',
    target: (r) =>
      target('notification', { channel: str(r.body.channel) ?? null, to: str(r.body.to) ?? null }),
  },
  'POST /api/email/send': {
    action: 'email/send',
    target: (r) =>
      target('notification', {
        channel: 'email',
        to: str(r.body.Receiver) ?? null,
        configuration: str(r.body.ConfigurationName) ?? null,
        peer: str(r.body.Peer) ?? null,
      }),
  },
  'POST /api/email/preview': notAudited('renders a message: sends nothing, changes nothing'),
  'POST /api/webHooks/updateWebHook': webhookRule('webHooks/updateWebHook'),
  'POST /api/webHooks/deleteWebHook': webhookRule('webHooks/deleteWebHook'),
  'POST /api/webHooks/testWebHook': webhookRule('webHooks/testWebHook', false),

  'POST /api/addSubscriber': {
    action: 'addSubscriber',
    target: (r, data) =>
      target('subscriber', { id: int(obj(data).id) ?? null, name: str(r.body.name) ?? null }),
    stateAfter: (_r, data) => {
      const id = int(obj(data).id);
      return id === undefined ? null : { kind: 'subscribers', ids: [id] };
    },
  },
  'POST /api/updateSubscriber': subscriberRule('updateSubscriber'),
  'POST /api/updateSubscribers': {
    action: 'updateSubscribers',
    target: (r) =>
      target('subscriber', { ids: Array.isArray(r.body.ids) ? r.body.ids.slice(0, 200) : [] }),
    state: (r) => {
      const ids = Array.isArray(r.body.ids)
        ? r.body.ids.filter((x): x is number => int(x) !== undefined)
        : [];
      return ids.length === 0 ? null : { kind: 'subscribers', ids };
    },
  },
  'POST /api/deleteSubscriber': subscriberRule('deleteSubscriber'),
  'POST /api/assignSubscriberPeers': subscriberRule('assignSubscriberPeers'),
  'POST /api/unassignSubscriberPeers': subscriberRule('unassignSubscriberPeers'),
  'POST /api/restrictSubscriber': subscriberRule('restrictSubscriber'),
  'POST /api/allowSubscriber': subscriberRule('allowSubscriber'),
  'POST /api/resetSubscriberData': subscriberRule('resetSubscriberData'),
  'POST /api/rotateSubscriberToken': subscriberRule('rotateSubscriberToken'),
};
