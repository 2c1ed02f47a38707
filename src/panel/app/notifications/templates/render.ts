import { DateTime } from 'luxon';
import type { NotificationLanguage } from '../../../domain/vocabulary.js';
import type { TemplateFacts } from '../notification.js';
import { DE } from './de.js';
import { EN } from './en.js';
import { RU } from './ru.js';
import type { DigestFacts, Message, MessageKind, TemplateSet } from './template-set.js';
import { ZH_CN } from './zh-cn.js';

const SETS: Readonly<Record<NotificationLanguage, TemplateSet>> = {
  en: EN,
  'zh-CN': ZH_CN,
  ru: RU,
  de: DE,
};

/**
 * A date as messages write it, in the panel's time zone: `2026-12-06 14:30 (Europe/Berlin)`;
 * an unparsable value is kept as it is.
 */
export function messageDate(isoDate: string, zone: string): string {
  const d = DateTime.fromISO(isoDate, { zone: 'utc' }).setZone(zone);
  return d.isValid ? `${d.toFormat('yyyy-MM-dd HH:mm')} (${zone})` : isoDate;
}

/** The message kind of an action (subscriber_… words as its peer_… twin). */
export function messageKindOf(action: string): MessageKind {
  const base = action.replace(/^(peer|subscriber)_/, '');
  switch (base) {
    case 'expiring_soon':
    case 'expired':
    case 'traffic_warning':
    case 'traffic_exceeded':
    case 'restricted':
    case 'restored':
    case 'usage_reset':
    case 'activated':
      return base;
    case 'node_down':
    case 'node_up':
    case 'interface_missing':
    case 'interface_back':
      return action as MessageKind;
    case 'notification_test':
      return 'test';
    default:
      return 'other';
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A message as plain text and as a small HTML document (the same paragraphs). */
export function renderMessage(m: Message, lang: NotificationLanguage) {
  const set = SETS[lang];
  const text = [...m.paragraphs, '--', set.signature].join('\n\n');
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;line-height:1.5">${m.paragraphs
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join(
      '',
    )}<hr><p style="color:#666;font-size:smaller">${escapeHtml(set.signature)}</p></body></html>`;
  return { subject: m.subject, text, html };
}

/** The e-mail / Telegram wording of an action, in a language, its dates in `zone`. */
export function renderNotification(
  action: string,
  facts: TemplateFacts,
  lang: NotificationLanguage,
  zone = 'UTC',
) {
  const f =
    facts.expiryDate === null
      ? facts
      : { ...facts, expiryDate: messageDate(facts.expiryDate, zone) };
  return renderMessage(SETS[lang].messages[messageKindOf(action)](f), lang);
}

/** The daily digest, in a language. */
export function renderDigest(facts: DigestFacts, lang: NotificationLanguage) {
  return renderMessage(SETS[lang].digest(facts), lang);
}
