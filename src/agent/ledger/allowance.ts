import type { AgentCutReason } from '../../shared/wire/agent-api.js';

/** What the panel allows one peer while it is away: bytes from a base, and an expiry. */
export interface Allowance {
  /** Bytes (rx + tx) the peer may still use from `base`; null: no traffic limit. */
  readonly remaining: number | null;
  /** The peer's rx + tx total (in the interface's epoch) the allowance is counted from. */
  readonly base: number;
  /** Unix ms from which the peer is expired; null: none. */
  readonly expiresAt: number | null;
}

/** The allowances the panel gave one interface, and how long it may stay silent. */
export interface InterfaceAllowances {
  readonly graceMs: number;
  /** The epoch the bases are in: another one (the totals restarted) makes them meaningless. */
  readonly epoch: string;
  readonly peers: ReadonlyMap<string, Allowance>;
}

/** True when the panel has been silent for longer than the grace. */
export function panelAway(heardAt: number | null, graceMs: number, now: number): boolean {
  return heardAt !== null && now - heardAt > graceMs;
}

/**
 * Why a peer that used `used` bytes (its rx + tx total now) must be cut under allowance `a`, or
 * null. The panel's rules: expired wins over the limit; usage ≥ limit is over.
 */
export function cutReason(a: Allowance, used: number, now: number): AgentCutReason | null {
  if (a.expiresAt !== null && now >= a.expiresAt) return 'expired';
  if (a.remaining !== null && used - a.base >= a.remaining) return 'traffic_limit';
  return null;
}
