import type { JsonValue } from '../../domain/notifications/webhook-request.js';
import type {
  DeliveryChannel,
  NotificationAction,
  NotificationLanguage,
} from '../../domain/vocabulary.js';
import type { PeerJson } from '../../../shared/wire/panel-api.js';

export type { EventRecord } from '../events/event-record.js';

/** What the event is about, read in the event's transaction (the peer as the API lists it). */
export interface EventSubject {
  readonly peer: PeerJson | null;
  readonly configuration: string | null;
  readonly node: string | null;
}

/** A subscriber as a notification's subject: what a receiver needs (never its token). */
export interface SubscriberSubject {
  readonly subscriber: Readonly<Record<string, JsonValue>>;
  /** Its peers: public key (4.3's `id`), name, status, configuration and node. */
  readonly peers: readonly {
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly configuration: string;
    readonly node: string;
  }[];
}

/** The facts a template words (e-mail, Telegram). */
export interface TemplateFacts {
  /** The access's name: the peer's, or the subscriber's. */
  readonly peerName: string | null;
  readonly configuration: string | null;
  readonly node: string | null;
  readonly usageBytes: number | null;
  readonly limitBytes: number | null;
  readonly percent: number | null;
  readonly daysLeft: number | null;
  readonly expiryDate: string | null;
  readonly reason: string | null;
  /** The event's own line (the log's wording), for actions without a template of their own. */
  readonly message: string;
}

/** An event ready to fan out: its id, action, the webhook object's fields, the template facts. */
export interface Notification {
  /** Unique per event; the same in each of its deliveries and on every retry. */
  readonly eventId: string;
  readonly action: NotificationAction | 'webhook_test';
  readonly at: Date;
  /** The webhook body's own fields (action, time, webhook_id, … are added per delivery). */
  readonly data: Readonly<Record<string, JsonValue>>;
  readonly facts: TemplateFacts;
  /** Who it is about, for the recipient resolver (subscribers own peers). */
  readonly peerId: number | null;
  /** The subscriber it is about (a `subscriber_…` action): its own contacts get it. */
  readonly subscriberId?: number | null;
  /**
   * A peer's decision that is its subscriber's (cut or restored with it): the subscriber hears of
   * it once, from its own event, not once per peer.
   */
  readonly bySubscriber?: boolean;
  /** An "N days left" reminder (expiry_warning_days), not the policy's one warning. */
  readonly reminder?: boolean;
}

/** Someone who gets e-mail or Telegram messages. */
export interface Contact {
  readonly channel: Exclude<DeliveryChannel, 'webhook'>;
  /** An e-mail address or a Telegram chat id. */
  readonly address: string;
  /** Its own language (a subscriber's setting; operators are given the panel's); null = the panel's. */
  readonly language: NotificationLanguage | null;
  /** Operators get node and fleet events; subscribers what happens to their own access. */
  readonly audience: 'operator' | 'subscriber';
}

/** One row of the outbox, before it is written. */
export interface NewDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly action: string;
  readonly channel: DeliveryChannel;
  readonly target: string;
  readonly webhookId: string | null;
  readonly payload: Readonly<Record<string, JsonValue>>;
  readonly createdAt: Date;
}

/** An e-mail as the outbox keeps it. */
export interface EmailPayload {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A Telegram message as the outbox keeps it. */
export interface TelegramPayload {
  readonly chat_id: string;
  readonly text: string;
}
