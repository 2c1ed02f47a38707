import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Counter } from 'prom-client';
import { createPeerStore } from '../adapters/db/repos/peers-store.js';
import {
  createEventJournal,
  type EventJournal,
} from '../adapters/db/repos/notifications/event-journal.js';
import { createNotificationSettingsStore } from '../adapters/db/repos/notifications/notification-settings-store.js';
import {
  createFinishedDeliveries,
  createOutboxQueue,
} from '../adapters/db/repos/notifications/outbox-store.js';
import { pruneDeliveries } from '../app/notifications/delivery-retention.js';
import { createWebhookStore } from '../adapters/db/repos/notifications/webhooks-store.js';
import { createSmtpTransport } from '../adapters/notify/smtp-transport.js';
import { createTelegramApi } from '../adapters/notify/telegram-api.js';
import { createWebhookClient } from '../adapters/notify/webhook-client.js';
import { channelSenders } from '../app/notifications/channel-senders.js';
import { Deliverer } from '../app/notifications/deliverer.js';
import type { RetryPolicy } from '../domain/notifications/retry-schedule.js';
import { DailyDigest } from '../app/notifications/daily-digest.js';
import { ExpiryReminders } from '../app/notifications/expiry-reminders.js';
import type { RecipientResolver } from '../app/notifications/ports.js';
import { createReminderStore } from '../adapters/db/repos/notifications/reminder-store.js';
import type { Kysely } from 'kysely';
import type { Database } from '../adapters/db/schema/database.js';
import { EmailService } from '../app/notifications/email-service.js';
import { NotificationsService } from '../app/notifications/notifications-service.js';
import { WebhooksService } from '../app/notifications/webhooks-service.js';
import { createDigestStore } from '../adapters/db/repos/notifications/digest-store.js';
import type { PanelContext } from '../context.js';
import { notificationSettingsRoutes } from '../http/routes/notifications-settings-routes.js';
import { webhooksRoutes } from '../http/routes/webhooks-routes.js';
import type { PanelArea } from './area.js';

/** What compose.ts may plug in. */
export interface NotificationsOptions {
  /** The contacts of peers' subscribers (default: their subscriber's e-mail and chat id). */
  readonly recipients?: RecipientResolver<Kysely<Database>>;
  /** The panel's time zone, for dates in messages (default UTC). */
  readonly timezone?: () => string;
  /** How often the digest and the expiry reminders look whether they are due (default 10 min). */
  readonly scheduleMs?: number;
  /**
   * True when this panel runs the cluster's time-driven work: the digest and the reminders run
   * on the timer only then (one panel of several). Default: always. `runScheduled` ignores it.
   */
  readonly holdsJobs?: () => boolean;
  /**
   * How failed deliveries are tried again (default: first retry within 4 s, doubling up to
   * 10 min apart, for 24 h). Tests that watch real retries shorten the waits.
   */
  readonly retry?: RetryPolicy;
  /** How often the outbox is looked at when nothing woke the deliverer (default 1 s). */
  readonly deliveryPollMs?: number;
}

export interface NotificationsArea extends PanelArea {
  /** THE write of events (stored with their deliveries): the other areas' stores use it. */
  readonly journal: EventJournal;
  /** The deliverer looks at the outbox now. */
  readonly nudge: () => void;
  /** The digest, the expiry reminders and the deliveries' retention, once, now (the timer's work; tests call it). */
  runScheduled(): Promise<void>;
}

/**
 * This installation's id in the outbox's leases: the same across restarts (host and data folder),
 * so a panel that starts again takes back at once the rows it held when it died.
 */
export function panelInstanceId(dataDir: string): string {
  return createHash('sha256').update(`${hostname()}\0${dataDir}`).digest('hex').slice(0, 32);
}

/** Webhooks, e-mail and Telegram: the event journal, the outbox's deliverer, their routes. */
export function createNotificationsArea(
  ctx: PanelContext,
  version: string,
  options: NotificationsOptions = {},
): NotificationsArea {
  const logger = ctx.logger.child({ area: 'notifications' });
  const webhookStore = createWebhookStore(ctx.database);
  const settingsStore = createNotificationSettingsStore(ctx.database);
  const webhookClient = createWebhookClient();
  const telegram = createTelegramApi();
  const mail = createSmtpTransport();
  const attempts = new Counter({
    name: 'wgfleet_notification_attempts_total',
    help: 'Attempts to deliver a notification, by channel and result',
    labelNames: ['channel', 'result'],
    registers: [ctx.metrics],
  });
  const deliverer = new Deliverer({
    queue: createOutboxQueue(ctx.database),
    senders: channelSenders({
      webhooks: webhookStore,
      settings: settingsStore,
      webhookClient,
      mail,
      telegram,
      now: ctx.now,
      userAgent: `wgfleet/${version}`,
    }),
    owner: panelInstanceId(ctx.config.dataDir),
    logger,
    now: ctx.now,
    onAttempt: (channel, ok) => attempts.inc({ channel, result: ok ? 'delivered' : 'failed' }),
    ...(options.retry && { retry: options.retry }),
    ...(options.deliveryPollMs !== undefined && { pollMs: options.deliveryPollMs }),
  });
  const nudge = () => deliverer.nudge();
  const journal = createEventJournal({
    onDeliveries: nudge,
    ...(options.recipients && { recipients: options.recipients }),
    ...(options.timezone && { timezone: options.timezone }),
  });
  const digest = new DailyDigest({
    store: createDigestStore(ctx.database),
    nudge,
    settings: settingsStore,
    now: ctx.now,
    logger,
    newId: randomUUID,
    ...(options.timezone && { timezone: options.timezone }),
  });
  const reminders = new ExpiryReminders({
    store: createReminderStore(ctx.database, journal),
    settings: settingsStore,
    now: ctx.now,
    logger,
    nudge,
  });
  const finished = createFinishedDeliveries(ctx.database);
  const runScheduled = async () => {
    await digest.runOnce().catch((err: unknown) => logger.error({ err }, 'daily digest failed'));
    await reminders
      .runOnce()
      .catch((err: unknown) => logger.error({ err }, 'expiry reminders failed'));
    await pruneDeliveries(finished, settingsStore, ctx.now())
      .then((n) => n > 0 && logger.info({ deliveries: n }, 'old deliveries deleted'))
      .catch((err: unknown) => logger.error({ err }, 'delivery retention failed'));
  };
  let timer: NodeJS.Timeout | undefined;
  let scheduled: Promise<void> | null = null;
  const tick = () => {
    if (scheduled || !(options.holdsJobs?.() ?? true)) return;
    scheduled = runScheduled().finally(() => {
      scheduled = null;
    });
  };
  const webhooks = new WebhooksService({
    store: webhookStore,
    now: ctx.now,
    newId: randomUUID,
    nudge,
  });
  return {
    journal,
    nudge,
    runScheduled,
    routes: [
      webhooksRoutes({ webhooks, deliveries: webhookStore }),
      notificationSettingsRoutes({
        notifications: new NotificationsService({
          store: settingsStore,
          mail,
          telegram,
          now: ctx.now,
        }),
        email: new EmailService({
          settings: settingsStore,
          mail,
          peers: createPeerStore(ctx.database),
          now: ctx.now,
        }),
      }),
    ],
    start() {
      void deliverer.start();
      tick();
      timer = setInterval(tick, options.scheduleMs ?? 600_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await scheduled;
      await deliverer.stop();
      await webhookClient.close();
      await telegram.close();
    },
  };
}
