import { ref } from 'vue';
import { createI18n } from 'vue-i18n';
import en from './en.js';
import ru from './ru.js';
import zhCN from './zh-CN.js';

/** The languages the UI speaks, each complete (the message files are typed by the English one). */
export const LOCALES = ['en', 'zh-CN', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
/** Each language's own name, for the picker. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  'zh-CN': '简体中文',
  ru: 'Русский',
};
const KEY = 'wgfleet-locale';

/**
 * The plural categories each language's messages list, in order: `t(key, n)` picks the form by
 * Intl.PluralRules, so "1 peer" / "2 peers", "1 пир" / "3 пира" / "5 пиров", "3 个对等端".
 */
const PLURAL_FORMS: Record<Locale, readonly Intl.LDMLPluralRule[]> = {
  en: ['one', 'other'],
  'zh-CN': ['other'],
  ru: ['one', 'few', 'many', 'other'],
};

function pluralRule(locale: Locale) {
  const rules = new Intl.PluralRules(locale);
  const forms = PLURAL_FORMS[locale];
  return (choice: number, choicesLength: number) => {
    const at = forms.indexOf(rules.select(Math.abs(choice)));
    return Math.min(at < 0 ? forms.length - 1 : at, choicesLength - 1);
  };
}

/** A language tag (`ru-RU`, `zh-Hans-CN`, `en-GB`) to one the UI speaks, or null. */
export function matchLocale(tag: string): Locale | null {
  const t = tag.toLowerCase();
  if (t.startsWith('zh')) return 'zh-CN';
  if (t.startsWith('ru')) return 'ru';
  if (t.startsWith('en')) return 'en';
  return null;
}

/** The browser's parts this module reads; absent when run in Node (tests). */
const browser = globalThis as {
  localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  navigator?: { languages?: readonly string[]; language?: string };
  document?: { documentElement: { lang: string } };
};

/** The remembered choice, else the browser's first language the UI speaks, else English. */
export function initialLocale(): Locale {
  const stored = browser.localStorage?.getItem(KEY);
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  const nav = browser.navigator;
  for (const l of nav?.languages ?? [nav?.language ?? '']) {
    const m = l ? matchLocale(l) : null;
    if (m) return m;
  }
  return 'en';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN, ru },
  pluralRules: { en: pluralRule('en'), 'zh-CN': pluralRule('zh-CN'), ru: pluralRule('ru') },
  missingWarn: false,
  fallbackWarn: false,
});

/** The translator, for scripts and templates alike (reactive: a change of language re-renders). */
export const t = i18n.global.t;

/** The language in force. */
export const locale = ref<Locale>(i18n.global.locale.value as Locale);

function apply(next: Locale): void {
  locale.value = next;
  i18n.global.locale.value = next;
  // The page's language: screen readers, fonts.
  if (browser.document) browser.document.documentElement.lang = next;
}
apply(locale.value);

/** Changes the language (at once) and remembers it for the next visit. */
export function setLocale(next: Locale): void {
  apply(next);
  browser.localStorage?.setItem(KEY, next);
}
