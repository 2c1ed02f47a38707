import { invalidInput } from '../errors.js';
import {
  applyNotificationPatch,
  emailReady,
  isEmailAddress,
  isTelegramChatId,
  telegramReady,
  type NotificationSettings,
  type NotificationSettingsPatch,
} from './notification-settings.js';
import type {
  AttemptOutcome,
  MailTransport,
  NotificationSettingsStore,
  TelegramApi,
} from './ports.js';
import { renderNotification } from './templates/render.js';

export interface NotificationsServiceDeps {
  readonly store: NotificationSettingsStore;
  readonly mail: MailTransport;
  readonly telegram: TelegramApi;
  readonly now: () => Date;
}

const NO_FACTS = {
  peerName: null,
  configuration: null,
  node: null,
  usageBytes: null,
  limitBytes: null,
  percent: null,
  daysLeft: null,
  expiryDate: null,
  reason: null,
  message: 'test',
};

/** The notification settings, and a test message sent at once (not through the outbox). */
export class NotificationsService {
  constructor(private readonly deps: NotificationsServiceDeps) {}

  get(): Promise<NotificationSettings> {
    return this.deps.store.read();
  }

  /** Checks every field, then stores the change; answers the settings in force. */
  async update(patch: NotificationSettingsPatch): Promise<NotificationSettings> {
    const next = applyNotificationPatch(await this.deps.store.read(), patch);
    await this.deps.store.write(next, this.deps.now());
    return next;
  }

  /** Sends a test message now and answers how it went (the answer never holds a secret). */
  async sendTest(channel: 'email' | 'telegram', to: string): Promise<AttemptOutcome> {
    const s = await this.deps.store.read();
    const m = renderNotification('notification_test', NO_FACTS, s.language);
    if (channel === 'email') {
      if (!isEmailAddress(to)) throw invalidInput('to', `"${to}" is not an e-mail address`);
      if (!emailReady(s))
        throw invalidInput('channel', 'e-mail is not set up: give smtp.host and smtp.from first');
      return this.deps.mail.send(s.smtp, {
        from: s.smtp.from,
        to,
        subject: m.subject,
        text: m.text,
        html: m.html,
      });
    }
    if (!isTelegramChatId(to)) throw invalidInput('to', `"${to}" is not a Telegram chat id`);
    if (!telegramReady(s))
      throw invalidInput('channel', 'Telegram is not set up: give telegram.bot_token first');
    return this.deps.telegram.sendMessage(s.telegram, to, `${m.subject}\n\n${m.text}`);
  }
}
