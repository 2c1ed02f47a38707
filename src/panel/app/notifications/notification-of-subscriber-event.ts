import type { JsonValue } from '../../domain/notifications/webhook-request.js';
import type { EventValue } from '../events/peer-event.js';
import type { SubscriberEvent } from '../events/subscriber-event.js';
import { ACTION_OF_SUBSCRIBER_EVENT } from './event-actions.js';
import type { Notification, SubscriberSubject } from './notification.js';

/** Event values that are byte counts (stored as strings, exact): numbers in a webhook's body. */
const BYTE_VALUES = new Set(['usage', 'limit', 'usage_before']);

const bytes = (v: EventValue | undefined): number | null =>
  typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : null;

const unique = (xs: readonly string[]) => [...new Set(xs)];

/**
 * The notification of a subscriber event: the subscriber (never its token) with its peers, the
 * configurations and nodes they live on, the peers' public keys (4.3's `peers`), and the event's
 * values (byte counts as numbers). Its subscriber's own contacts get it, besides webhooks and
 * operators.
 */
export function notificationOfSubscriberEvent(
  event: SubscriberEvent,
  subject: SubscriberSubject,
  eventId: string,
): Notification {
  const data: Record<string, JsonValue> = {
    subscriber: { ...subject.subscriber, peers: subject.peers.map((p) => ({ ...p })) },
    configurations: unique(subject.peers.map((p) => p.configuration)),
    nodes: unique(subject.peers.map((p) => p.node)),
    peers: subject.peers.map((p) => p.id),
    message: event.message,
  };
  for (const [k, v] of Object.entries(event.values))
    data[k] = BYTE_VALUES.has(k) ? (bytes(v) ?? v) : v;
  const v = event.values;
  const str = (x: EventValue | undefined) => (typeof x === 'string' ? x : null);
  const limit = subject.subscriber.traffic_limit;
  return {
    eventId,
    action: ACTION_OF_SUBSCRIBER_EVENT[event.type],
    at: event.at,
    data,
    peerId: null,
    subscriberId: event.subscriber.id,
    facts: {
      peerName: event.subscriber.name,
      configuration: null,
      node: null,
      usageBytes: bytes(v.usage),
      limitBytes: bytes(v.limit) ?? (typeof limit === 'number' ? limit : null),
      percent: typeof v.percent === 'number' ? v.percent : null,
      daysLeft: typeof v.days_remaining === 'number' ? v.days_remaining : null,
      expiryDate: str(v.expiry_date),
      reason: str(v.reason) ?? str(v.previous_reason),
      message: event.message,
    },
  };
}
