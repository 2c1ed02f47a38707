import {
  NOTIFICATION_ACTIONS,
  NOTIFICATION_LANGUAGES,
  SMTP_SECURITIES,
  type NotificationAction,
  type NotificationLanguage,
  type SmtpSecurity,
} from '../../domain/vocabulary.js';
import { invalidInput } from '../errors.js';

/** Where e-mail leaves: the SMTP server. `password` is a secret (write-only through the API). */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly security: SmtpSecurity;
  readonly username: string;
  readonly password: string | null;
  readonly from: string;
  /** Check the server's certificate (tls, starttls). */
  readonly verify_tls: boolean;
}

/** The Telegram bot. `bot_token` is a secret (write-only through the API). */
export interface TelegramSettings {
  readonly bot_token: string | null;
  /** The Bot API's base URL (`https://api.telegram.org` unless a proxy or a test server). */
  readonly api_base: string;
}

/** Who gets what, and how. Stored in the `settings` table (secrets under their own keys). */
export interface NotificationSettings {
  readonly smtp: SmtpSettings;
  readonly telegram: TelegramSettings;
  readonly operator_email: string | null;
  readonly operator_telegram_chat_id: string | null;
  /** Days before expiry a subscriber is told "N days left". */
  readonly expiry_warning_days: readonly number[];
  /** Tell subscribers "X % of your traffic used". */
  readonly usage_warning: boolean;
  /** Actions operators get by e-mail / Telegram. */
  readonly operator_actions: readonly NotificationAction[];
  /** Actions subscribers get by e-mail / Telegram (about their own access). */
  readonly subscriber_actions: readonly NotificationAction[];
  /** A daily digest to the operators, at `digest_hour` (the panel's time zone). */
  readonly daily_digest: boolean;
  readonly digest_hour: number;
  /** The language of the messages. */
  readonly language: NotificationLanguage;
  /**
   * Days a finished delivery (delivered or failed) and its attempts are kept. Reminders are kept
   * at least a year, so one is never sent twice (expiry_warning_days is at most 365).
   */
  readonly delivery_retention_days: number;
}

export const TELEGRAM_API_BASE = 'https://api.telegram.org';

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  smtp: {
    host: '',
    port: 587,
    security: 'starttls',
    username: '',
    password: null,
    from: '',
    verify_tls: true,
  },
  telegram: { bot_token: null, api_base: TELEGRAM_API_BASE },
  operator_email: null,
  operator_telegram_chat_id: null,
  expiry_warning_days: [3, 1],
  usage_warning: true,
  operator_actions: ['node_down', 'node_up', 'interface_missing', 'interface_back'],
  subscriber_actions: [
    'peer_traffic_warning',
    'peer_traffic_exceeded',
    'peer_expiring_soon',
    'peer_expired',
    'peer_restricted',
    'peer_restored',
    'subscriber_traffic_warning',
    'subscriber_traffic_exceeded',
    'subscriber_expiring_soon',
    'subscriber_expired',
    'subscriber_restricted',
    'subscriber_restored',
    'subscriber_activated',
  ],
  daily_digest: true,
  digest_hour: 8,
  language: 'en',
  delivery_retention_days: 30,
};

/** A change as the API takes it: every field optional; secrets: a string sets, null clears. */
export interface NotificationSettingsPatch {
  readonly smtp?: Partial<SmtpSettings>;
  readonly telegram?: Partial<TelegramSettings>;
  readonly operator_email?: string | null;
  readonly operator_telegram_chat_id?: string | null;
  readonly expiry_warning_days?: readonly number[];
  readonly usage_warning?: boolean;
  readonly operator_actions?: readonly string[];
  readonly subscriber_actions?: readonly string[];
  readonly daily_digest?: boolean;
  readonly digest_hour?: number;
  readonly language?: string;
  readonly delivery_retention_days?: number;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

/** True for one e-mail address (no display name, no list). */
export const isEmailAddress = (s: string) => s.length <= 254 && EMAIL.test(s);

/** True for a Telegram chat id: a number (groups are negative) or an @channel name. */
export const isTelegramChatId = (s: string) => /^(-?\d{1,20}|@[A-Za-z0-9_]{4,64})$/.test(s);

function actions(field: string, list: readonly string[]): NotificationAction[] {
  const known = NOTIFICATION_ACTIONS as readonly string[];
  list.forEach((a, i) => {
    if (!known.includes(a))
      throw invalidInput(
        `${field}.${i}`,
        `"${a}" is not one of ${NOTIFICATION_ACTIONS.join(', ')}`,
      );
  });
  return [...new Set(list)] as NotificationAction[];
}

function httpUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidInput(field, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidInput(field, 'must be an http or https URL');
  return value.replace(/\/+$/, '');
}

/**
 * Applies a checked change to the settings in force; throws invalidInput naming the first bad
 * field (nothing is applied then).
 */
export function applyNotificationPatch(
  current: NotificationSettings,
  patch: NotificationSettingsPatch,
): NotificationSettings {
  const smtp = { ...current.smtp, ...patch.smtp };
  if (patch.smtp?.host !== undefined && smtp.host.length > 253)
    throw invalidInput('smtp.host', 'is longer than 253 characters');
  if (!Number.isInteger(smtp.port) || smtp.port < 1 || smtp.port > 65535)
    throw invalidInput('smtp.port', 'must be an integer from 1 to 65535');
  if (!(SMTP_SECURITIES as readonly string[]).includes(smtp.security))
    throw invalidInput('smtp.security', `must be one of ${SMTP_SECURITIES.join(', ')}`);
  if (smtp.from !== '' && !isEmailAddress(smtp.from.replace(/^.*<(.+)>\s*$/, '$1')))
    throw invalidInput('smtp.from', `"${smtp.from}" is not an e-mail address`);
  if (smtp.password === '') (smtp as { password: string | null }).password = null;
  const telegram = { ...current.telegram, ...patch.telegram };
  if (telegram.bot_token === '') (telegram as { bot_token: string | null }).bot_token = null;
  if (telegram.bot_token !== null && !/^\d+:[A-Za-z0-9_-]{20,}$/.test(telegram.bot_token))
    throw invalidInput('telegram.bot_token', 'is not a bot token (digits, a colon, then the key)');
  if (patch.telegram?.api_base !== undefined)
    telegram.api_base = httpUrl('telegram.api_base', telegram.api_base || TELEGRAM_API_BASE);
  const email =
    patch.operator_email === '' ? null : (patch.operator_email ?? current.operator_email);
  if (email !== null && !isEmailAddress(email))
    throw invalidInput('operator_email', `"${email}" is not an e-mail address`);
  const chat =
    patch.operator_telegram_chat_id === ''
      ? null
      : (patch.operator_telegram_chat_id ?? current.operator_telegram_chat_id);
  if (chat !== null && !isTelegramChatId(chat))
    throw invalidInput('operator_telegram_chat_id', `"${chat}" is not a Telegram chat id`);
  const days = patch.expiry_warning_days ?? current.expiry_warning_days;
  days.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 365)
      throw invalidInput(`expiry_warning_days.${i}`, 'must be an integer from 1 to 365');
  });
  if (days.length > 10) throw invalidInput('expiry_warning_days', 'at most 10 days');
  const hour = patch.digest_hour ?? current.digest_hour;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23)
    throw invalidInput('digest_hour', 'must be an integer from 0 to 23');
  const retention = patch.delivery_retention_days ?? current.delivery_retention_days;
  if (!Number.isInteger(retention) || retention < 1 || retention > 3650)
    throw invalidInput('delivery_retention_days', 'must be an integer from 1 to 3650');
  const language = patch.language ?? current.language;
  if (!(NOTIFICATION_LANGUAGES as readonly string[]).includes(language))
    throw invalidInput('language', `must be one of ${NOTIFICATION_LANGUAGES.join(', ')}`);
  return {
    smtp,
    telegram,
    operator_email: email,
    operator_telegram_chat_id: chat,
    expiry_warning_days: [...new Set(days)].sort((a, b) => b - a),
    usage_warning: patch.usage_warning ?? current.usage_warning,
    operator_actions: patch.operator_actions
      ? actions('operator_actions', patch.operator_actions)
      : current.operator_actions,
    subscriber_actions: patch.subscriber_actions
      ? actions('subscriber_actions', patch.subscriber_actions)
      : current.subscriber_actions,
    daily_digest: patch.daily_digest ?? current.daily_digest,
    digest_hour: hour,
    language: language as NotificationLanguage,
    delivery_retention_days: retention,
  };
}

/** Whether e-mail can be sent (WGDashboard's `email/ready`): a server and a sender. */
export const emailReady = (s: NotificationSettings) =>
  s.smtp.host !== '' && s.smtp.from !== '' && (s.smtp.username === '' || s.smtp.password !== null);

/** Whether Telegram messages can be sent: a bot token. */
export const telegramReady = (s: NotificationSettings) => s.telegram.bot_token !== null;

/** The operators' contacts, as the settings name them. */
export function operatorContacts(s: NotificationSettings) {
  const out: { channel: 'email' | 'telegram'; address: string }[] = [];
  if (s.operator_email !== null && emailReady(s))
    out.push({ channel: 'email', address: s.operator_email });
  if (s.operator_telegram_chat_id !== null && telegramReady(s))
    out.push({ channel: 'telegram', address: s.operator_telegram_chat_id });
  return out;
}
