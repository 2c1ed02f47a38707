import type { Kysely } from 'kysely';
import type { NotificationSettingsStore } from '../../../../app/notifications/ports.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '../../../../app/notifications/notification-settings.js';
import type { DatabaseHandle } from '../../open-database.js';
import type { Database } from '../../schema/database.js';

/** The settings without secrets, as JSON. */
const KEY = 'notifications';
/** SECRET keys: the SMTP password and the Telegram bot token, each in its own row. */
const SMTP_PASSWORD = 'notifications.smtp_password';
const BOT_TOKEN = 'notifications.telegram_bot_token';
const KEYS = [KEY, SMTP_PASSWORD, BOT_TOKEN];

function parse(json: string | undefined): Partial<NotificationSettings> {
  if (json === undefined) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' ? (v as Partial<NotificationSettings>) : {};
  } catch {
    return {};
  }
}

/**
 * The notification settings in force: the stored ones over the defaults. Works inside a
 * transaction (the event journal reads them in the event's). Secrets are stored as given (no
 * cipher on this branch yet).
 */
export async function readNotificationSettings(
  db: Kysely<Database>,
): Promise<NotificationSettings> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', KEYS)
    .execute();
  const by = new Map(rows.map((r) => [r.key, r.value]));
  const stored = parse(by.get(KEY));
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  return {
    ...d,
    ...stored,
    smtp: { ...d.smtp, ...stored.smtp, password: by.get(SMTP_PASSWORD) ?? null },
    telegram: { ...d.telegram, ...stored.telegram, bot_token: by.get(BOT_TOKEN) ?? null },
  };
}

/** `NotificationSettingsStore` on the `settings` table. */
export function createNotificationSettingsStore(handle: DatabaseHandle): NotificationSettingsStore {
  return {
    read: () => readNotificationSettings(handle.db),
    async write(s, now) {
      const { password, ...smtp } = s.smtp;
      const { bot_token, ...telegram } = s.telegram;
      const values: { key: string; value: string; updated_at: Date }[] = [
        { key: KEY, value: JSON.stringify({ ...s, smtp, telegram }), updated_at: now },
      ];
      if (password !== null) values.push({ key: SMTP_PASSWORD, value: password, updated_at: now });
      if (bot_token !== null) values.push({ key: BOT_TOKEN, value: bot_token, updated_at: now });
      await handle.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('settings').where('key', 'in', KEYS).execute();
        await trx.insertInto('settings').values(values).execute();
      });
    },
  };
}
