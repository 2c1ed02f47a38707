import type { DeliverySession, WebhookRecord } from '../../app/notifications/ports.js';
import { wgdTime } from '../../app/notifications/fan-out.js';
import type {
  DeliverySessionJson,
  WebhookJson,
  WebhookTemplateJson,
} from '../../../shared/wire/panel-api.js';

/** A webhook as 4.3 lists it; the secret only as `HasSecret`. */
export function webhookJson(w: WebhookRecord): WebhookJson {
  return {
    ...webhookTemplateJson(w),
    HasSecret: w.secret !== null,
    CreationDate: wgdTime(w.createdAt),
  };
}

export function webhookTemplateJson(
  w: Omit<WebhookRecord, 'secret' | 'createdAt'>,
): WebhookTemplateJson {
  return {
    WebHookID: w.id,
    PayloadURL: w.payloadUrl,
    ContentType: w.contentType,
    Headers: { ...w.headers },
    VerifySSL: w.verifySsl,
    SubscribedActions: [...w.subscribedActions],
    IsActive: w.isActive,
    Notes: w.notes,
    HasSecret: false,
  };
}

/** A delivery as 4.3 lists a webhook session, with one log line per attempt. */
export function sessionJson(s: DeliverySession): DeliverySessionJson {
  return {
    WebHookSessionID: s.id,
    WebHookID: s.webhookId,
    StartDate: wgdTime(s.createdAt),
    EndDate: s.finishedAt ? wgdTime(s.finishedAt) : null,
    Data: { ...s.payload },
    Status: s.status,
    Logs: {
      Logs: s.attempts.map((a) => ({
        LogTime: wgdTime(a.at),
        Status: a.ok ? 0 : 1,
        Message: a.message,
      })),
    },
    EventID: s.eventId,
    Action: s.action,
    Channel: s.channel,
    Target: s.target,
    NextAttemptAt: s.nextAttemptAt ? s.nextAttemptAt.toISOString() : null,
  };
}
