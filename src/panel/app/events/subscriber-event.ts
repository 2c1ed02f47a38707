import type { Logger } from 'pino';
import type { SubscriberPolicyEvent } from '../../domain/policy/evaluate-subscriber.js';
import type { SubscriberEventType } from '../../domain/vocabulary.js';
import { seedDate, type EventValue } from './peer-event.js';

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
  const make = (message: string, values: Record<string, EventValue>): SubscriberEvent => ({
    type: e.type,
    subscriber,
    values,
    message: `${who(subscriber)} ${message}`,
    at,
  });
  switch (e.type) {
    case 'exceeded':
      return make(`exceeded traffic limit. Usage: ${e.usage} / ${e.limit} bytes`, {
        usage: String(e.usage),
        limit: String(e.limit),
      });
    case 'warning':
      return make(`approaching traffic limit. Usage: ${e.percent}%`, {
        usage: String(e.usage),
        limit: String(e.limit),
        percent: e.percent,
      });
    case 'expired':
      return make(`has expired. Expiry date: ${seedDate(e.expiryDate)}`, {
        expiry_date: e.expiryDate.toISOString(),
      });
    case 'expiring_soon':
      return make(`expiring soon. Days remaining: ${e.daysLeft}`, {
        expiry_date: e.expiryDate.toISOString(),
        days_remaining: e.daysLeft,
      });
    case 'restricted':
      return make(`restricted. Reason: ${e.reason}`, { reason: e.reason });
    case 'restored':
      return make(`restored. Previous reason: ${e.previousReason}`, {
        previous_reason: e.previousReason,
      });
    case 'reset':
      return make(`usage period reset. Usage before: ${e.usageBefore} bytes`, {
        usage_before: String(e.usageBefore),
        period_started_at: e.periodStartedAt.toISOString(),
        by: 'schedule',
      });
    case 'activated':
      return make(`activated by its first handshake. Expiry date: ${seedDate(e.expiryDate)}`, {
        handshake_at: e.handshakeAt.toISOString(),
        expiry_date: e.expiryDate.toISOString(),
      });
  }
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
