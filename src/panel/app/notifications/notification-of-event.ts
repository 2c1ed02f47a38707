import type { JsonValue } from '../../domain/notifications/webhook-request.js';
import type { EventValue } from '../events/peer-event.js';
import { ACTION_OF_EVENT } from './event-actions.js';
import type { EventRecord, EventSubject, Notification } from './notification.js';

/** Event values that are byte counts (stored as strings, exact): numbers in a webhook's body. */
const BYTE_VALUES = new Set(['usage', 'limit', 'usage_before']);

const bytes = (v: EventValue | undefined): number | null =>
  typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : null;

/**
 * The notification of a stored event: WGDashboard 4.3's fields (`configuration`, `peers` — the
 * public keys), the peer as getWireguardConfigurationInfo lists it (never a key), the node, and
 * the event's values (byte counts as numbers).
 */
export function notificationOfEvent(
  event: EventRecord,
  subject: EventSubject,
  eventId: string,
): Notification {
  const data: Record<string, JsonValue> = {
    configuration: subject.configuration,
    node: subject.node,
    message: event.message,
  };
  if (event.peerPublicKey !== null) {
    data.peers = [event.peerPublicKey];
    data.peer = subject.peer ?? { id: event.peerPublicKey, name: event.peerName ?? '' };
  }
  for (const [k, v] of Object.entries(event.values))
    data[k] = BYTE_VALUES.has(k) ? (bytes(v) ?? v) : v;
  const v = event.values;
  const str = (x: EventValue | undefined) => (typeof x === 'string' ? x : null);
  return {
    eventId,
    action: ACTION_OF_EVENT[event.type],
    at: event.at,
    data,
    peerId: event.peerId,
    bySubscriber: v.by_subscriber === true,
    facts: {
      peerName: event.peerName,
      configuration: subject.configuration,
      node: subject.node,
      usageBytes: bytes(v.usage),
      limitBytes: bytes(v.limit),
      percent: typeof v.percent === 'number' ? v.percent : null,
      daysLeft: typeof v.days_remaining === 'number' ? v.days_remaining : null,
      expiryDate: str(v.expiry_date),
      reason: str(v.reason) ?? str(v.previous_reason),
      message: event.message,
    },
  };
}
