import type { Generated, Insertable, Selectable } from 'kysely';
import type { DeliveryChannel } from '../../../domain/vocabulary.js';

/** `webhooks`: WGDashboard 4.3's webhook fields, plus a secret. */
export interface WebhooksTable {
  /** WGDashboard's `WebHookID` (a UUID). */
  id: string;
  payload_url: string;
  content_type: string;
  /** JSON text: `{"1": {"key": …, "value": …}, …}` as 4.3 stores it. */
  headers: string;
  verify_ssl: boolean;
  /** JSON text: an array of NOTIFICATION_ACTIONS. */
  subscribed_actions: string;
  is_active: boolean;
  notes: string;
  /** SECRET. The HMAC key of the signature headers; null = unsigned. Never logged, never answered. */
  secret: string | null;
  created_at: Generated<Date>;
}

/**
 * `notification_deliveries`: the outbox. One row per event and target, written in the event's
 * transaction; WGDashboard's "webhook session" (`id` = `WebHookSessionID`).
 */
export interface NotificationDeliveriesTable {
  id: string;
  /** The event's id: the same in every delivery of one event and on every retry. */
  event_id: string;
  action: string;
  channel: DeliveryChannel;
  /** `webhook:<id>`, `email:<address>`, `telegram:<chat id>`; unique with `event_id`. */
  target: string;
  /** → webhooks.id, ON DELETE CASCADE (a deleted webhook gets nothing more). */
  webhook_id: string | null;
  /** JSON text: what is sent (the webhook's body object; an e-mail's or a message's parts). */
  payload: string;
  /** -1 pending, 0 delivered, 1 failed (WGDashboard's session statuses). */
  status: number;
  attempts: Generated<number>;
  next_attempt_at: Date;
  /** Which panel holds the row while it sends (its instance id), and until when. */
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  finished_at: Date | null;
}

/** `notification_attempts`: one line per attempt of a delivery (WGDashboard's session logs). */
export interface NotificationAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: Date;
  /** 0 delivered, 1 failed. */
  status: number;
  message: string;
}

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<NotificationDeliveriesTable>;
export type DeliveryInsert = Insertable<NotificationDeliveriesTable>;
