import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  DeliverySessionJson,
  NotificationDeliveriesQuery,
  TestWebhookJson,
  UpdateWebhookBody,
  WebhookIdBody,
  WebhookJson,
  WebhookSessionsQuery,
  WebhookTemplateJson,
} from '../../../shared/wire/panel-api.js';
import { invalidInput } from '../../app/errors.js';
import type { WebhookStore } from '../../app/notifications/ports.js';
import type { WebhooksService } from '../../app/notifications/webhooks-service.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import { sessionJson, webhookJson, webhookTemplateJson } from './webhooks-json.js';

export interface WebhooksRoutesDeps {
  readonly webhooks: WebhooksService;
  readonly deliveries: Pick<WebhookStore, 'sessions'>;
}

const tags = ['notifications'];

/** WGDashboard 4.3's `/api/webHooks/*`, plus a test event and the outbox's deliveries. */
export const webhooksRoutes =
  (deps: WebhooksRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/webHooks/getWebHooks',
      {
        schema: {
          tags,
          summary: 'Every webhook (oldest first); secrets only as HasSecret',
          response: { 200: Envelope(Type.Array(WebhookJson)), 401: FailureBody },
        },
      },
      async () => ok((await deps.webhooks.list()).map(webhookJson)),
    );
    app.get(
      '/api/webHooks/createWebHook',
      {
        schema: {
          tags,
          summary:
            'A new webhook template with a fresh WebHookID; nothing is stored until updateWebHook',
          response: { 200: Envelope(WebhookTemplateJson), 401: FailureBody },
        },
      },
      async () => ok(webhookTemplateJson(deps.webhooks.template())),
    );
    app.post(
      '/api/webHooks/updateWebHook',
      {
        schema: {
          tags,
          summary: 'Create or update a webhook by WebHookID',
          body: UpdateWebhookBody,
          response: { 200: Envelope(Type.Null()), 400: FailureBody, 401: FailureBody },
        },
      },
      async (req) => {
        const done = await deps.webhooks.save(req.body);
        return ok(null, done === 'created' ? 'Webhook created' : 'Webhook updated');
      },
    );
    app.post(
      '/api/webHooks/deleteWebHook',
      {
        schema: {
          tags,
          summary: 'Delete a webhook and its deliveries (pending ones are not sent)',
          body: WebhookIdBody,
          response: {
            200: Envelope(Type.Null()),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req) => {
        await deps.webhooks.delete(req.body.WebHookID);
        return ok(null, 'Webhook deleted');
      },
    );
    app.get(
      '/api/webHooks/getWebHookSessions',
      {
        schema: {
          tags,
          summary: "A webhook's deliveries, newest first, each with one log line per attempt",
          querystring: WebhookSessionsQuery,
          response: {
            200: Envelope(Type.Array(DeliverySessionJson)),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req) => {
        const id = req.query.WebHookID;
        if (!id) throw invalidInput('WebHookID', 'Please provide WebHookID');
        const sessions = await deps.webhooks.sessions(id, req.query.limit ?? 100);
        return ok(sessions.map(sessionJson));
      },
    );
    app.post(
      '/api/webHooks/testWebHook',
      {
        schema: {
          tags,
          summary: 'Send a webhook_test event to this webhook (through the outbox, with retries)',
          body: WebhookIdBody,
          response: {
            200: Envelope(TestWebhookJson),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req) =>
        ok(
          { WebHookSessionID: await deps.webhooks.sendTest(req.body.WebHookID) },
          'Test event queued',
        ),
    );
    app.get(
      '/api/getNotificationDeliveries',
      {
        schema: {
          tags,
          summary: 'Deliveries of every channel (or one), newest first, with their attempts',
          querystring: NotificationDeliveriesQuery,
          response: {
            200: Envelope(Type.Array(DeliverySessionJson)),
            400: FailureBody,
            401: FailureBody,
          },
        },
      },
      async (req) => {
        const sessions = await deps.deliveries.sessions(
          req.query.channel ? { channel: req.query.channel } : {},
          req.query.limit ?? 100,
        );
        return ok(sessions.map(sessionJson));
      },
    );
  };
