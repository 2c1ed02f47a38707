import type { Logger } from 'pino';
import type { SubscriberPolicyEvent } from '../../domain/policy/evaluate-subscriber.js';
import type { SubscriberEventType } from '../../domain/vocabulary.js';
import { policyWording, seedDate, type EventValue } from './peer-event.js';

/** Who a subscriber event is about. */
export interface SubscriberRef {
  readonly id: number;
  readonly name: string;
}

/** One subscriber event, ready to store and log. */
export interface SubscriberEvent {
  readonly type: SubscriberEventType;
  readonly subscriber: SubscriberRef;
  readonly values: Readonly<Record<string, EventValue>>;
  /** The seed's wording, without the `[Phase 7]` prefix the log line adds. */
  readonly message: string;
  readonly at: Date;
}

const who = (s: SubscriberRef) => `Subscriber ${s.name}`;

/** Turns one subscriber decision into an event with the seed's wording. */
export function eventOfSubscriberPolicy(
  subscriber: SubscriberRef,
  e: SubscriberPolicyEvent,
  at: Date,
): SubscriberEvent {
  const { message, values } =
    e.type === 'activated'
      ? {
          message: `activated by its first handshake. Expiry date: ${seedDate(e.expiryDate)}`,
          values: {
            handshake_at: e.handshakeAt.toISOString(),
            expiry_date: e.expiryDate.toISOString(),
          },
        }
      : policyWording(e, null);
  return { type: e.type, subscriber, values, message: `${who(subscriber)} ${message}`, at };
}

/** An event of an operator's action on a subscriber (restrict, allow, reset through the API). */
export function manualSubscriberEvent(
  subscriber: SubscriberRef,
  type: 'restricted' | 'restored' | 'reset',
  values: Record<string, EventValue>,
  at: Date,
): SubscriberEvent {
  const message =
    type === 'restricted'
      ? 'restricted. Reason: manual'
      : type === 'restored'
        ? `restored. Previous reason: ${String(values.previous_reason)}`
        : `usage period reset. Usage before: ${String(values.usage_before)} bytes`;
  return {
    type,
    subscriber,
    values: { ...values, by: 'api' },
    message: `${who(subscriber)} ${message}`,
    at,
  };
}

const WARN = new Set(['exceeded', 'expired', 'warning', 'expiring_soon', 'restricted']);

/** One structured log line per subscriber event, after its transaction committed. */
export function logSubscriberEvents(logger: Logger, events: readonly SubscriberEvent[]): void {
  for (const e of events) {
    const fields = {
      event: e.type,
      subscriber_id: e.subscriber.id,
      subscriber: e.subscriber.name,
      values: e.values,
    };
    const line = `[Phase 7] ${e.message}`;
    if (WARN.has(e.type)) logger.warn(fields, line);
    else logger.info(fields, line);
  }
}
