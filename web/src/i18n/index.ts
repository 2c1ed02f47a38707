import { ref } from 'vue';
import { createI18n } from 'vue-i18n';
import en from './en';
import ru from './ru';
import zhCN from './zh-CN';

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

function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage;
}

/** The remembered choice, else the browser's first language the UI speaks, else English. */
export function initialLocale(): Locale {
  const stored = storage()?.getItem(KEY);
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  const langs =
    typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const l of langs) {
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
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}
apply(locale.value);

/** Changes the language (at once) and remembers it for the next visit. */
export function setLocale(next: Locale): void {
  apply(next);
  storage()?.setItem(KEY, next);
}
