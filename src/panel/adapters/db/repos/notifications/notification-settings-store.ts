import type { Kysely } from 'kysely';
import type { NotificationSettingsStore } from '../../../../app/notifications/ports.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '../../../../app/notifications/notification-settings.js';
import type { DatabaseHandle } from '../../open-database.js';
import type { Database } from '../../schema/database.js';
import { openStored, settingSecretBinding } from '../../secrets/secret-bindings.js';
import type { SecretCipher } from '../../secrets/secret-cipher.js';

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
 * transaction (the event journal reads them in the event's). The SMTP password and the bot token
 * are sealed rows of their own (opened here only when `secrets` is given: the journal needs no
 * secret, the senders do).
 */
export async function readNotificationSettings(
  db: Kysely<Database>,
  secrets?: SecretCipher,
): Promise<NotificationSettings> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', KEYS)
    .execute();
  const by = new Map(rows.map((r) => [r.key, r.value]));
  const stored = parse(by.get(KEY));
  // Without the cipher a set secret reads as a placeholder: "set", never its value.
  const secret = (key: string) => {
    const v = by.get(key);
    if (v === undefined) return null;
    return secrets ? openStored(secrets, v, settingSecretBinding(key)) : '(sealed)';
  };
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  return {
    ...d,
    ...stored,
    smtp: { ...d.smtp, ...stored.smtp, password: secret(SMTP_PASSWORD) },
    telegram: { ...d.telegram, ...stored.telegram, bot_token: secret(BOT_TOKEN) },
  };
}

/** `NotificationSettingsStore` on the `settings` table. */
export function createNotificationSettingsStore(handle: DatabaseHandle): NotificationSettingsStore {
  return {
    read: () => readNotificationSettings(handle.db, handle.secrets),
    async write(s, now) {
      const { password, ...smtp } = s.smtp;
      const { bot_token, ...telegram } = s.telegram;
      const values: { key: string; value: string; updated_at: Date }[] = [
        { key: KEY, value: JSON.stringify({ ...s, smtp, telegram }), updated_at: now },
      ];
      const seal = (key: string, clear: string) => ({
        key,
        value: handle.secrets.seal(clear, settingSecretBinding(key)),
        updated_at: now,
      });
      if (password !== null) values.push(seal(SMTP_PASSWORD, password));
      if (bot_token !== null) values.push(seal(BOT_TOKEN, bot_token));
      await handle.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('settings').where('key', 'in', KEYS).execute();
        await trx.insertInto('settings').values(values).execute();
      });
    },
  };
}
