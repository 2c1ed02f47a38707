import type { PeerEventType, QuotaKind } from '../../domain/vocabulary.js';
import type { PolicyEvent } from '../../domain/policy/types.js';

/** Who an event is about: enough to store, log and find it again after the peer is gone. */
export interface PeerRef {
  readonly id: number;
  readonly name: string;
  readonly publicKey: string;
  readonly configurationId: number;
  readonly nodeId: number | null;
  /** Its subscriber's name, when a decision is its subscriber's. */
  readonly subscriberName?: string | null;
}

/** A JSON value of an event; bigints are written as strings (exact beyond 2^53). */
export type EventValue = string | number | boolean | null;

/** One event, ready to store and log. */
export interface PeerEvent {
  readonly type: PeerEventType;
  readonly peer: PeerRef;
  readonly values: Readonly<Record<string, EventValue>>;
  /** The seed's wording, without the `[Phase 7]` prefix the log line adds. */
  readonly message: string;
  readonly at: Date;
}

/** The seed's shortened key: the first 6 characters and "...". */
export function shortKey(publicKey: string): string {
  return `${publicKey.slice(0, 6)}...`;
}

/** A date as the seed prints it: `2025-01-15 00:00:00` (UTC). */
export function seedDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function who(peer: PeerRef): string {
  return `Peer ${peer.name === '' ? '(unnamed)' : peer.name} (${shortKey(peer.publicKey)})`;
}

const subscriberOf = (peer: PeerRef) => peer.subscriberName ?? '(deleted)';

/** The seed's wording and the stored values of one policy decision. */
export interface PolicyWording {
  readonly message: string;
  readonly values: Record<string, EventValue>;
}

/**
 * The wording of a policy decision, whoever it is about (peers and subscribers share it).
 * `subscriber`: the name a decision that is its subscriber's (`bySubscriber`) is annotated with;
 * null ignores the mark.
 */
export function policyWording(e: PolicyEvent, subscriber: string | null): PolicyWording {
  const w = (message: string, values: Record<string, EventValue>) => ({ message, values });
  const bySubscriber =
    subscriber !== null && (e.type === 'restricted' || e.type === 'restored') && e.bySubscriber;
  switch (e.type) {
    case 'exceeded':
      return w(`exceeded ${quotaWords(e.quota)}. Usage: ${e.usage} / ${e.limit} bytes`, {
        usage: String(e.usage),
        limit: String(e.limit),
        ...(e.quota !== undefined && { quota: e.quota }),
      });
    case 'warning':
      return w(`approaching ${quotaWords(e.quota)}. Usage: ${e.percent}%`, {
        usage: String(e.usage),
        limit: String(e.limit),
        percent: e.percent,
        ...(e.quota !== undefined && { quota: e.quota }),
      });
    case 'throttled':
      return w(`throttled. Reason: ${quotaWords(e.quota)}`, { quota: e.quota });
    case 'unthrottled':
      return w('unthrottled: back to full speed', {});
    case 'expired':
      return w(`has expired. Expiry date: ${seedDate(e.expiryDate)}`, {
        expiry_date: e.expiryDate.toISOString(),
      });
    case 'expiring_soon':
      return w(`expiring soon. Days remaining: ${e.daysLeft}`, {
        expiry_date: e.expiryDate.toISOString(),
        days_remaining: e.daysLeft,
      });
    case 'restricted':
      return bySubscriber
        ? w(`restricted. Reason: ${e.reason} (subscriber ${subscriber})`, {
            reason: e.reason,
            by_subscriber: true,
          })
        : w(`restricted. Reason: ${e.reason}`, { reason: e.reason });
    case 'restored':
      return w(
        `restored. Previous reason: ${e.previousReason}${bySubscriber ? ` (subscriber ${subscriber})` : ''}`,
        { previous_reason: e.previousReason, ...(bySubscriber && { by_subscriber: true }) },
      );
    case 'reset':
      return w(`usage period reset. Usage before: ${e.usageBefore} bytes`, {
        usage_before: String(e.usageBefore),
        period_started_at: e.periodStartedAt.toISOString(),
        by: 'schedule',
      });
  }
}

/** The seed's "traffic limit", and its siblings for the granular quotas. */
function quotaWords(quota: QuotaKind | undefined): string {
  return `${quota === undefined || quota === 'traffic' ? 'traffic' : quota} limit`;
}

/** Turns one policy decision into an event with the seed's wording. */
export function eventOfPolicy(peer: PeerRef, e: PolicyEvent, at: Date): PeerEvent {
  const { message, values } = policyWording(e, subscriberOf(peer));
  return { type: e.type, peer, values, message: `${who(peer)} ${message}`, at };
}

/** The event of a reset asked for through the API (`resetPeerData`). */
export function manualResetEvent(
  peer: PeerRef,
  what: 'total' | 'receive' | 'sent',
  usageBefore: bigint,
  at: Date,
): PeerEvent {
  return {
    type: 'reset',
    peer,
    values: { usage_before: String(usageBefore), by: 'api', type: what },
    message: `${who(peer)} usage period reset (${what}). Usage before: ${usageBefore} bytes`,
    at,
  };
}
