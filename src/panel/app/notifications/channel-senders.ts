import type { DeliveryChannel } from '../../domain/vocabulary.js';
import { encodeWebhookBody, webhookHeaders } from '../../domain/notifications/webhook-request.js';
import type {
  ClaimedDelivery,
  DeliverySender,
  MailTransport,
  NotificationSettingsStore,
  TelegramApi,
  WebhookClient,
  WebhookStore,
} from './ports.js';
import { emailReady, telegramReady } from './notification-settings.js';

export interface ChannelSenderDeps {
  readonly webhooks: Pick<WebhookStore, 'get'>;
  readonly settings: Pick<NotificationSettingsStore, 'read'>;
  readonly webhookClient: WebhookClient;
  readonly mail: MailTransport;
  readonly telegram: TelegramApi;
  readonly now: () => Date;
  readonly userAgent: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * One sender per channel: a webhook's body encoded and signed at each attempt (a fresh
 * timestamp, the same body and event id), e-mail and Telegram with the settings in force.
 */
export function channelSenders(deps: ChannelSenderDeps): Record<DeliveryChannel, DeliverySender> {
  return {
    webhook: {
      async send(d: ClaimedDelivery) {
        const w = d.webhookId === null ? null : await deps.webhooks.get(d.webhookId);
        if (!w) return { ok: false, message: 'the webhook no longer exists' };
        if (!w.isActive) return { ok: false, message: 'the webhook is not active' };
        const body = encodeWebhookBody(w.contentType, d.payload);
        const headers = webhookHeaders({
          contentType: w.contentType,
          headers: Object.values(w.headers),
          secret: w.secret,
          body,
          eventId: d.eventId,
          now: deps.now(),
          userAgent: deps.userAgent,
        });
        return deps.webhookClient.post({
          url: w.payloadUrl,
          headers,
          body,
          verifyTls: w.verifySsl,
        });
      },
    },
    email: {
      async send(d: ClaimedDelivery) {
        const s = await deps.settings.read();
        if (!emailReady(s))
          return { ok: false, message: 'e-mail is not set up (SMTP server and sender)' };
        return deps.mail.send(s.smtp, {
          from: s.smtp.from,
          to: str(d.payload.to),
          subject: str(d.payload.subject),
          text: str(d.payload.text),
          html: str(d.payload.html) || undefined,
        });
      },
    },
    telegram: {
      async send(d: ClaimedDelivery) {
        const s = await deps.settings.read();
        if (!telegramReady(s)) return { ok: false, message: 'Telegram is not set up (bot token)' };
        return deps.telegram.sendMessage(s.telegram, str(d.payload.chat_id), str(d.payload.text));
      },
    },
  };
}
