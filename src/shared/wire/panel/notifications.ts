import { Type, type Static } from 'typebox';
import {
  NOTIFICATION_LANGUAGES,
  SMTP_SECURITIES,
  WEBHOOK_CONTENT_TYPES,
} from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';

const Header = Type.Object({ key: Type.String(), value: Type.String() });
/** 4.3's headers: `{"1": {"key": "Authorization", "value": "…"}, …}`. */
const Headers = Type.Record(Type.String(), Header);
const WgdDate = Type.String({
  description:
    "YYYY-MM-DD HH:MM:SS, whole seconds, UTC (4.3's format; 4.3 writes its server's local time)",
});

const WebhookFields = {
  WebHookID: Type.String(),
  PayloadURL: Type.String(),
  ContentType: literalUnion(WEBHOOK_CONTENT_TYPES),
  Headers,
  VerifySSL: Type.Boolean(),
  SubscribedActions: Type.Array(Type.String()),
  IsActive: Type.Boolean(),
  Notes: Type.String(),
  HasSecret: Type.Boolean({ description: 'A signing secret is set (it is never answered)' }),
};

/** A webhook as 4.3's getWebHooks lists it, plus `HasSecret`. */
export const WebhookJson = Type.Object({ ...WebhookFields, CreationDate: WgdDate });
export type WebhookJson = Static<typeof WebhookJson>;

/** createWebHook's template: a fresh id, nothing stored. */
export const WebhookTemplateJson = Type.Object(WebhookFields);
export type WebhookTemplateJson = Static<typeof WebhookTemplateJson>;

/** updateWebHook: create or update by `WebHookID`. 4.3's UI sends the whole object back. */
export const UpdateWebhookBody = Type.Object(
  {
    WebHookID: Type.String({ minLength: 1, maxLength: 64 }),
    PayloadURL: Type.Optional(Type.String({ maxLength: 2000 })),
    ContentType: Type.Optional(Type.String()),
    Headers: Type.Optional(Headers),
    VerifySSL: Type.Optional(Type.Boolean()),
    SubscribedActions: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
    IsActive: Type.Optional(Type.Boolean()),
    Notes: Type.Optional(Type.String()),
    Secret: Type.Optional(
      Nullable(
        Type.String({
          description:
            'Write-only HMAC key of X-Wgfleet-Signature; "" or null removes it, absent keeps it',
        }),
      ),
    ),
    CreationDate: Type.Optional(Type.String({ description: 'Ignored' })),
    HasSecret: Type.Optional(Type.Boolean({ description: 'Ignored' })),
  },
  { additionalProperties: false },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

/** deleteWebHook, testWebHook: `{WebHookID}` (4.3's UI sends the whole webhook; the rest is ignored). */
export const WebhookIdBody = Type.Object({
  WebHookID: Type.String({ minLength: 1, maxLength: 64 }),
});
export type WebhookIdBody = Static<typeof WebhookIdBody>;

export const NotificationDeliveriesQuery = Type.Object({
  channel: Type.Optional(
    Type.Union([Type.Literal('webhook'), Type.Literal('email'), Type.Literal('telegram')]),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const WebhookSessionsQuery = Type.Object({
  WebHookID: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

const SessionLog = Type.Object({
  LogTime: WgdDate,
  Status: Type.Integer({ description: '0 delivered, 1 failed' }),
  Message: Type.String(),
});

/** A delivery as 4.3 lists a webhook session: its retries are lines of its `Logs`. */
export const DeliverySessionJson = Type.Object({
  WebHookSessionID: Type.String(),
  WebHookID: Nullable(Type.String()),
  StartDate: WgdDate,
  EndDate: Nullable(WgdDate),
  Data: Type.Record(Type.String(), Type.Unknown()),
  Status: Type.Integer({ description: '-1 pending, 0 delivered, 1 failed' }),
  Logs: Type.Object({ Logs: Type.Array(SessionLog) }),
  EventID: Type.String(),
  Action: Type.String(),
  Channel: Type.String(),
  Target: Type.String(),
  NextAttemptAt: Nullable(Type.String({ description: 'ISO 8601; null unless pending' })),
});
export type DeliverySessionJson = Static<typeof DeliverySessionJson>;

export const TestWebhookJson = Type.Object({ WebHookSessionID: Type.String() });

const Smtp = {
  host: Type.String({ maxLength: 253 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  security: literalUnion(SMTP_SECURITIES),
  username: Type.String({ maxLength: 320 }),
  from: Type.String({ maxLength: 320, description: 'Sender address (or "Name <address>")' }),
  verify_tls: Type.Boolean(),
};

const Lists = {
  operator_email: Nullable(Type.String()),
  operator_telegram_chat_id: Nullable(Type.String()),
  expiry_warning_days: Type.Array(Type.Integer(), {
    description: 'Days before expiry subscribers are told "N days left"',
  }),
  usage_warning: Type.Boolean({ description: 'Tell subscribers "X % of your traffic used"' }),
  operator_actions: Type.Array(Type.String(), {
    description: 'What operators get by e-mail / Telegram',
  }),
  subscriber_actions: Type.Array(Type.String(), {
    description: 'What subscribers get (their own access)',
  }),
  daily_digest: Type.Boolean(),
  digest_hour: Type.Integer({
    minimum: 0,
    maximum: 23,
    description: "Hour of the daily digest, in the panel's time zone (getPanelSettings)",
  }),
  language: literalUnion(NOTIFICATION_LANGUAGES),
  delivery_retention_days: Type.Integer({
    minimum: 1,
    maximum: 3650,
    description: 'Days a delivered or failed delivery (and its attempts) is kept; default 30',
  }),
};

/** The notification settings in force; secrets only as `has_…`. */
export const NotificationSettingsJson = Type.Object({
  smtp: Type.Object({ ...Smtp, has_password: Type.Boolean() }),
  telegram: Type.Object({ api_base: Type.String(), has_bot_token: Type.Boolean() }),
  ...Lists,
  email_ready: Type.Boolean(),
  telegram_ready: Type.Boolean(),
});
export type NotificationSettingsJson = Static<typeof NotificationSettingsJson>;

/** A change; secrets are write-only: a string sets, null clears, absent keeps. */
export const UpdateNotificationSettingsBody = Type.Object(
  {
    smtp: Type.Optional(
      Type.Partial(
        Type.Object(
          { ...Smtp, password: Nullable(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
      ),
    ),
    telegram: Type.Optional(
      Type.Partial(
        Type.Object(
          {
            api_base: Type.String({ maxLength: 500 }),
            bot_token: Nullable(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    ...Type.Partial(
      Type.Object({
        ...Lists,
        expiry_warning_days: Type.Array(Type.Integer(), { maxItems: 10 }),
        operator_actions: Type.Array(Type.String(), { maxItems: 100 }),
        subscriber_actions: Type.Array(Type.String(), { maxItems: 100 }),
        language: Type.String(),
        delivery_retention_days: Type.Integer(),
      }),
    ).properties,
  },
  { additionalProperties: false },
);
export type UpdateNotificationSettingsBody = Static<typeof UpdateNotificationSettingsBody>;

export const SendTestNotificationBody = Type.Object(
  {
    channel: Type.Union([Type.Literal('email'), Type.Literal('telegram')]),
    to: Type.String({
      minLength: 1,
      maxLength: 320,
      description: 'An e-mail address or a Telegram chat id',
    }),
  },
  { additionalProperties: false },
);
export type SendTestNotificationBody = Static<typeof SendTestNotificationBody>;

export const SendTestNotificationJson = Type.Object({ detail: Type.String() });

/** WGDashboard 4.3's email/send and email/preview bodies. */
export const EmailBody = Type.Object({
  Receiver: Type.Optional(Type.String({ maxLength: 320 })),
  Subject: Type.Optional(Type.String({ maxLength: 1000 })),
  Body: Type.Optional(Type.String({ maxLength: 100_000 })),
  ConfigurationName: Type.Optional(Type.String({ maxLength: 64 })),
  Peer: Type.Optional(Type.String({ maxLength: 64 })),
  IncludeAttachment: Type.Optional(Type.Boolean()),
});
export type EmailBody = Static<typeof EmailBody>;

export const EmailPreviewJson = Type.Object({ Subject: Type.String(), Body: Type.String() });
