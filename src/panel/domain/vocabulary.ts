/**
 * The panel's closed sets of values, spelled once. The database CHECKs, the TypeBox unions of the
 * API (src/shared/wire/panel/) and the web UI derive from these arrays. No imports: the web
 * bundle reads this file too.
 *
 * Adding a value to a list the database checks (peer status, restriction reason, reset schedule,
 * node status) needs a migration that rewrites the CHECK from the array; test/db/vocabulary.test.ts
 * fails until one does.
 */

/** An active peer is on its node's interface; a restricted one is kept only in the panel. */
export const PEER_STATUSES = ['active', 'restricted'] as const;
/** An active peer is on its node's interface; a restricted one is kept only in the panel. */
export type PeerStatus = (typeof PEER_STATUSES)[number];

/**
 * A peer's status as the API and the UI show it: the stored status, except that an active peer
 * over a quota with `on_limit: throttle` is `throttled` (on its node, at its throttle speed).
 */
export const SHOWN_PEER_STATUSES = ['active', 'throttled', 'restricted'] as const;
/** A peer's status as the API and the UI show it. */
export type ShownPeerStatus = (typeof SHOWN_PEER_STATUSES)[number];

/** What happens to a peer (or subscriber) over a byte quota: cut off, or slowed down. */
export const ON_LIMIT_ACTIONS = ['restrict', 'throttle'] as const;
/** What happens over a byte quota. */
export type OnLimitAction = (typeof ON_LIMIT_ACTIONS)[number];

/**
 * The byte quotas of a peer: `traffic` (rx + tx per period), `download` (the node's tx per
 * period), `upload` (the node's rx per period), `daily` (rx + tx per calendar day).
 */
export const QUOTA_KINDS = ['traffic', 'download', 'upload', 'daily'] as const;
/** One of a peer's byte quotas. */
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/** Why a peer is restricted: by policy (`traffic_limit`, `expired`) or by hand (`manual`, which policy never lifts). */
export const RESTRICTION_REASONS = ['traffic_limit', 'expired', 'manual'] as const;
/** Why a peer is restricted. `manual`: by a person; policy never lifts it. */
export type RestrictionReason = (typeof RESTRICTION_REASONS)[number];

/** When a peer's period usage starts again from zero. */
export const RESET_SCHEDULES = ['none', 'daily', 'weekly', 'monthly'] as const;
/** When a peer's period usage starts again from zero. */
export type ResetSchedule = (typeof RESET_SCHEDULES)[number];

/**
 * Kinds of stored peer events. Not checked by the database (a new kind needs no migration).
 */
export const PEER_EVENT_TYPES = [
  'warning',
  'exceeded',
  'expired',
  'expiring_soon',
  'restricted',
  'restored',
  'throttled',
  'unthrottled',
  'reset',
  'interface_missing',
  'interface_back',
  'created',
  'updated',
  'deleted',
  'node_down',
  'node_up',
] as const;
/** Kinds of stored peer events. */
export type PeerEventType = (typeof PEER_EVENT_TYPES)[number];

/** Whether the panel reached a node's agent on its last poll. */
export const NODE_STATUSES = ['online', 'offline'] as const;
/** Whether the panel reached a node's agent on its last poll. */
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** Resolutions of a traffic series (and of the stored usage samples), finest first. */
export const TRAFFIC_INTERVALS = ['minute', 'hour', 'day'] as const;
/** Resolution of a traffic series. */
export type TrafficInterval = (typeof TRAFFIC_INTERVALS)[number];

/** Sort keys of peer lists. */
export const PEER_SORT_KEYS = [
  'name',
  'allowed_ip',
  'usage',
  'created_at',
  'latest_handshake',
] as const;
/** Sort key of a peer list. */
export type PeerSortKey = (typeof PEER_SORT_KEYS)[number];

/** A configuration's interface as the last poll found it: `down` = turned off in the panel, `missing` = the node has no such interface. */
export const INTERFACE_STATUSES = ['up', 'down', 'missing'] as const;
/** A configuration's interface as the last poll found it. */
export type InterfaceStatus = (typeof INTERFACE_STATUSES)[number];

/**
 * What a webhook can subscribe to, and what e-mail and Telegram notifications are sent for.
 * WGDashboard 4.3's three (`peer_created`, `peer_updated`, `peer_deleted`) first, then ours. The
 * `subscriber_…` actions are the subscriber events (SUBSCRIBER_EVENT_TYPES), one each.
 */
export const NOTIFICATION_ACTIONS = [
  'peer_created',
  'peer_updated',
  'peer_deleted',
  'peer_traffic_warning',
  'peer_traffic_exceeded',
  'peer_expiring_soon',
  'peer_expired',
  'peer_restricted',
  'peer_restored',
  'peer_throttled',
  'peer_unthrottled',
  'peer_usage_reset',
  'subscriber_traffic_warning',
  'subscriber_traffic_exceeded',
  'subscriber_expiring_soon',
  'subscriber_expired',
  'subscriber_restricted',
  'subscriber_restored',
  'subscriber_usage_reset',
  'subscriber_activated',
  'subscriber_throttled',
  'subscriber_unthrottled',
  'node_down',
  'node_up',
  'interface_missing',
  'interface_back',
] as const;
/** What a webhook can subscribe to. */
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];

/** WGDashboard 4.3's default subscription of a new webhook. */
export const WGDASHBOARD_WEBHOOK_ACTIONS = [
  'peer_created',
  'peer_deleted',
  'peer_updated',
] as const;

/** How a notification leaves the panel. */
export const DELIVERY_CHANNELS = ['webhook', 'email', 'telegram'] as const;
/** How a notification leaves the panel. */
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** A webhook's body: WGDashboard 4.3's two content types. */
export const WEBHOOK_CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
] as const;
/** A webhook's body type. */
export type WebhookContentType = (typeof WEBHOOK_CONTENT_TYPES)[number];

/** How the panel talks to its SMTP server: TLS from the start, STARTTLS, or plain. */
export const SMTP_SECURITIES = ['tls', 'starttls', 'none'] as const;
/** How the panel talks to its SMTP server. */
export type SmtpSecurity = (typeof SMTP_SECURITIES)[number];

/** Languages of the notification templates (e-mail and Telegram): the panel's three, and German. */
export const NOTIFICATION_LANGUAGES = ['en', 'zh-CN', 'ru', 'de'] as const;
/** A language of the notification templates. */
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

/**
 * A subscriber (one customer, peers on many nodes): `active`; `restricted` (every peer of it cut
 * off, reason as for peers); `on_hold` (its expiry date does not run until a peer first
 * handshakes, see on_hold_days).
 */
export const SUBSCRIBER_STATUSES = ['active', 'restricted', 'on_hold'] as const;
/** A subscriber's status. */
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/**
 * A subscriber's status as the API and the UI show it: the stored status, except that an active
 * subscriber over a quota with `on_limit: throttle` is `throttled` (its peers on their nodes, at
 * its throttle speed).
 */
export const SHOWN_SUBSCRIBER_STATUSES = ['active', 'throttled', 'restricted', 'on_hold'] as const;
/** A subscriber's status as the API and the UI show it. */
export type ShownSubscriberStatus = (typeof SHOWN_SUBSCRIBER_STATUSES)[number];

/** Kinds of stored subscriber events. Not checked by the database. */
export const SUBSCRIBER_EVENT_TYPES = [
  'warning',
  'exceeded',
  'expiring_soon',
  'expired',
  'restricted',
  'restored',
  'reset',
  'activated',
  'throttled',
  'unthrottled',
] as const;
/** Kinds of stored subscriber events. */
export type SubscriberEventType = (typeof SUBSCRIBER_EVENT_TYPES)[number];

/** Sort keys of the subscriber list. */
export const SUBSCRIBER_SORT_KEYS = [
  'name',
  'usage',
  'expiry_date',
  'created_at',
  'status',
] as const;
/** Sort key of the subscriber list. */
export type SubscriberSortKey = (typeof SUBSCRIBER_SORT_KEYS)[number];

/** How an audited request ended: it did what was asked (2xx), or it was refused or failed. */
export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
/** How an audited request ended. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What an audit entry is about (its target's kind). Not checked by the database. */
export const AUDIT_TARGET_KINDS = [
  'account',
  'api_key',
  'node',
  'configuration',
  'peer',
  'subscriber',
  'webhook',
  'settings',
  'notification',
] as const;
/** What an audit entry is about. */
export type AuditTargetKind = (typeof AUDIT_TARGET_KINDS)[number];
/**
 * What a user may do: `admin` everything; `operator` peers, subscribers and events (not users,
 * settings, nodes); `viewer` reads only; `reseller` only the subscribers it created, within its
 * limits. Checked by the database (users.role).
 */
export const ROLES = ['admin', 'operator', 'viewer', 'reseller'] as const;
/** What a user may do (see ROLES). */
export type Role = (typeof ROLES)[number];

/**
 * What a route needs (src/panel/http/route-rules.ts names one per route). `subscribers.own`: a
 * reseller's, the subscribers it created only (the use cases scope it).
 */
export const CAPABILITIES = [
  'users.manage',
  'settings.read',
  'settings.write',
  'nodes.read',
  'nodes.write',
  'configurations.read',
  'configurations.write',
  'peers.read',
  'peers.write',
  'subscribers.read',
  'subscribers.write',
  'subscribers.own',
  'events.read',
  'system.read',
] as const;
/** What a route needs (see CAPABILITIES). */
export type Capability = (typeof CAPABILITIES)[number];

const READS = [
  'settings.read',
  'nodes.read',
  'configurations.read',
  'peers.read',
  'subscribers.read',
  'events.read',
  'system.read',
] as const satisfies readonly Capability[];

/** Each role's capabilities: the one place a role is defined (the web's menus read it too). */
export const ROLE_CAPABILITIES: { readonly [R in Role]: readonly Capability[] } = {
  admin: CAPABILITIES.filter((c) => c !== 'subscribers.own'),
  operator: [...READS, 'peers.write', 'subscribers.write'],
  viewer: READS,
  reseller: ['subscribers.own'],
};
