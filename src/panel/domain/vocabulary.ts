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
  'reset',
  'interface_missing',
  'interface_back',
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
