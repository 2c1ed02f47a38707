/**
 * Closed sets of values stored in text columns. The database enforces the same sets with CHECK
 * constraints (written out literally in the migrations, which must never change after release).
 */

/** Whether the panel reached a node's agent on its last poll. */
export const NODE_STATUSES = ['online', 'offline'] as const;
/** Whether the panel reached a node's agent on its last poll. */
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** An active peer is on its node's interface; a restricted one is kept only in the panel. */
export const PEER_STATUSES = ['active', 'restricted'] as const;
/** An active peer is on its node's interface; a restricted one is kept only in the panel. */
export type PeerStatus = (typeof PEER_STATUSES)[number];

/** Why a peer is restricted: by policy (`traffic_limit`, `expired`) or by hand (`manual`). */
export const RESTRICTION_REASONS = ['traffic_limit', 'expired', 'manual'] as const;
/** Why a peer is restricted: by policy (`traffic_limit`, `expired`) or by hand (`manual`). */
export type RestrictionReason = (typeof RESTRICTION_REASONS)[number];

/** When a peer's period usage starts again from zero. */
export const RESET_SCHEDULES = ['none', 'daily', 'weekly', 'monthly'] as const;
/** When a peer's period usage starts again from zero. */
export type ResetSchedule = (typeof RESET_SCHEDULES)[number];

/**
 * Kinds of stored peer events. Not enforced by the database (new kinds need no migration);
 * extend this list when the application emits a new kind.
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
