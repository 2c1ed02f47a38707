import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  EmailBody,
  EmailPreviewJson,
  NotificationSettingsJson,
  SendTestNotificationBody,
  SendTestNotificationJson,
  UpdateNotificationSettingsBody,
} from '../../../shared/wire/panel-api.js';
import { deliveryFailed } from '../../app/errors.js';
import type { EmailService } from '../../app/notifications/email-service.js';
import {
  emailReady,
  telegramReady,
  type NotificationSettings,
  type NotificationSettingsPatch,
} from '../../app/notifications/notification-settings.js';
import type { NotificationsService } from '../../app/notifications/notifications-service.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface NotificationSettingsRoutesDeps {
  readonly notifications: NotificationsService;
  readonly email: EmailService;
}

const tags = ['notifications'];

/** The settings as answered: secrets only as `has_…`. */
export function notificationSettingsJson(s: NotificationSettings): NotificationSettingsJson {
  const { password, ...smtp } = s.smtp;
  return {
    smtp: { ...smtp, has_password: password !== null },
    telegram: { api_base: s.telegram.api_base, has_bot_token: s.telegram.bot_token !== null },
    operator_email: s.operator_email,
    operator_telegram_chat_id: s.operator_telegram_chat_id,
    expiry_warning_days: [...s.expiry_warning_days],
    usage_warning: s.usage_warning,
    operator_actions: [...s.operator_actions],
    subscriber_actions: [...s.subscriber_actions],
    daily_digest: s.daily_digest,
    digest_hour: s.digest_hour,
    language: s.language,
    delivery_retention_days: s.delivery_retention_days,
    email_ready: emailReady(s),
    telegram_ready: telegramReady(s),
  };
}

/** Notification settings, a test message, and WGDashboard 4.3's `email/*`. */
export const notificationSettingsRoutes =
  (deps: NotificationSettingsRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/getNotificationSettings',
      {
        schema: {
          tags,
          summary: 'SMTP, Telegram, who gets what; secrets only as has_password / has_bot_token',
          response: { 200: Envelope(NotificationSettingsJson), 401: FailureBody },
        },
      },
      async () => ok(notificationSettingsJson(await deps.notifications.get())),
    );
    app.post(
      '/api/updateNotificationSettings',
      {
        schema: {
          tags,
          summary:
            'Change some notification settings (secrets: a string sets, null clears, absent keeps)',
          body: UpdateNotificationSettingsBody,
          response: { 200: Envelope(NotificationSettingsJson), 400: FailureBody, 401: FailureBody },
        },
      },
      async (req) =>
        ok(
          notificationSettingsJson(
            await deps.notifications.update(req.body as NotificationSettingsPatch),
          ),
          'Notification settings updated',
        ),
    );
    app.post(
      '/api/sendTestNotification',
      {
        schema: {
          tags,
          summary: 'Send a test e-mail or Telegram message now; 502 with the reason when it fails',
          body: SendTestNotificationBody,
          response: {
            200: Envelope(SendTestNotificationJson),
            400: FailureBody,
            401: FailureBody,
            502: FailureBody,
          },
        },
      },
      async (req) => {
        const outcome = await deps.notifications.sendTest(req.body.channel, req.body.to);
        if (!outcome.ok) throw deliveryFailed(outcome.message);
        return ok({ detail: outcome.message }, 'Test notification sent');
      },
    );
    app.get(
      '/api/email/ready',
      {
        schema: {
          tags,
          summary:
            "WGDashboard 4.3: whether e-mail can be sent (status is the answer, as in 4.3's)",
          response: { 200: Envelope(Type.Boolean()), 401: FailureBody },
        },
      },
      async () => {
        const ready = await deps.email.ready();
        return { status: ready, message: null, data: ready };
      },
    );
    app.post(
      '/api/email/send',
      {
        schema: {
          tags,
          summary:
            "WGDashboard 4.3: send an e-mail now; with ConfigurationName and Peer, {{ peer.… }} and {{ configurationFile.file }} are filled in (IncludeAttachment: the peer's config file)",
          body: EmailBody,
          response: {
            200: Envelope(Type.Null()),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
            409: FailureBody,
            502: FailureBody,
          },
        },
      },
      async (req) => {
        const outcome = await deps.email.send(req.body);
        if (!outcome.ok) throw deliveryFailed(outcome.message);
        return ok(null);
      },
    );
    app.post(
      '/api/email/preview',
      {
        schema: {
          tags,
          summary: 'WGDashboard 4.3: the subject and body with the peer filled in',
          body: EmailBody,
          response: {
            200: Envelope(EmailPreviewJson),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req) => ok(await deps.email.preview(req.body)),
    );
  };
