import type { JsonValue } from '../../domain/notifications/webhook-request.js';
import type {
  Contact,
  EmailPayload,
  NewDelivery,
  Notification,
  TelegramPayload,
} from './notification.js';
import type { NotificationLanguage } from '../../domain/vocabulary.js';
import type { NotificationSettings } from './notification-settings.js';
import { renderNotification } from './templates/render.js';

/** An active webhook, as the fan-out needs it. */
export interface WebhookSubscription {
  readonly id: string;
  readonly subscribedActions: readonly string[];
}

/** WGDashboard's `time`: `YYYY-MM-DD HH:MM:SS` (UTC here). */
export const wgdTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The webhook body of one delivery: the object's fields, then 4.3's and ours. */
export function webhookBody(
  n: Notification,
  webhookId: string,
  sessionId: string,
): Record<string, JsonValue> {
  return {
    ...n.data,
    action: n.action,
    time: wgdTime(n.at),
    webhook_id: webhookId,
    webhook_session: sessionId,
    event_id: n.eventId,
  };
}

/** Whether a contact of this audience gets this notification, by the settings. */
function wants(settings: NotificationSettings, c: Contact, n: Notification): boolean {
  const action = n.action;
  const list = c.audience === 'operator' ? settings.operator_actions : settings.subscriber_actions;
  if (!(list as readonly string[]).includes(action)) return false;
  // A peer cut or restored with its subscriber: the subscriber's own event tells it, once.
  if (c.audience === 'subscriber' && n.bySubscriber === true) return false;
  // Subscribers hear of an expiry from the reminders (their days), not from the policy's warning.
  if (c.audience === 'subscriber' && action.endsWith('_expiring_soon') && n.reminder !== true)
    return false;
  if (c.audience === 'subscriber' && !settings.usage_warning && action.endsWith('_traffic_warning'))
    return false;
  return true;
}

/** The language of a contact's messages: its own (a subscriber's setting), else the panel's. */
export const contactLanguage = (c: Contact, settings: NotificationSettings): NotificationLanguage =>
  c.language ?? settings.language;

/** A contact's e-mail or Telegram payload for a notification, in `language` (dates in `zone`). */
export function contactPayload(
  n: Notification,
  c: Contact,
  language: NotificationLanguage,
  zone = 'UTC',
): EmailPayload | TelegramPayload {
  const m = renderNotification(n.action, n.facts, language, zone);
  return c.channel === 'email'
    ? { to: c.address, subject: m.subject, text: m.text, html: m.html }
    : { chat_id: c.address, text: `${m.subject}\n\n${m.text}` };
}

/**
 * The deliveries of one notification: one per active webhook subscribed to its action, one per
 * contact whose audience gets the action (an address given twice gets it once). A subscriber's
 * messages are in its own language when it has one, the others in the panel's; dates in them are
 * written in `zone` (the panel's time zone).
 */
export function fanOut(
  n: Notification,
  webhooks: readonly WebhookSubscription[],
  contacts: readonly Contact[],
  settings: NotificationSettings,
  newId: () => string,
  zone = 'UTC',
): NewDelivery[] {
  const out: NewDelivery[] = [];
  for (const w of webhooks) {
    if (!w.subscribedActions.includes(n.action)) continue;
    const id = newId();
    out.push({
      id,
      eventId: n.eventId,
      action: n.action,
      channel: 'webhook',
      target: `webhook:${w.id}`,
      webhookId: w.id,
      payload: webhookBody(n, w.id, id),
      createdAt: n.at,
    });
  }
  const seen = new Set<string>();
  for (const c of contacts) {
    const target = `${c.channel}:${c.address.toLowerCase()}`;
    if (seen.has(target) || !wants(settings, c, n)) continue;
    seen.add(target);
    out.push({
      id: newId(),
      eventId: n.eventId,
      action: n.action,
      channel: c.channel,
      target,
      webhookId: null,
      payload: { ...contactPayload(n, c, contactLanguage(c, settings), zone) },
      createdAt: n.at,
    });
  }
  return out;
}
