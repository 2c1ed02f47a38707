import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.js';
import ru from '../../web/src/i18n/ru.js';
import zhCN from '../../web/src/i18n/zh-CN.js';
import { i18n, matchLocale, setLocale } from '../../web/src/i18n/index.js';
import { expiryText } from '../../web/src/lib/format.js';

/** Every key path of a message tree with its text. */
function leaves(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else for (const [p, s] of leaves(v as object, `${prefix}${k}.`)) out.set(p, s);
  }
  return out;
}
const forms = (s: string) => s.split('|').length;

// The web UI's message files (web/src/i18n/), run in Node.
describe('web UI languages', () => {
  const base = leaves(en);

  it.each([
    ['zh-CN', zhCN, 1],
    ['ru', ru, 4],
  ] as const)('%s has every English message, with its plural forms', (_, messages, plural) => {
    const other = leaves(messages);
    expect([...other.keys()].sort()).toEqual([...base.keys()].sort());
    for (const [key, text] of base) {
      const translated = other.get(key) ?? '';
      expect(translated.trim(), key).not.toBe('');
      if (forms(text) > 1) expect(forms(translated), key).toBe(plural);
      else expect(forms(translated), key).toBe(1);
      // The same placeholders: a translation that drops {peers} loses information.
      const names = (s: string) => [...new Set(s.match(/\{[a-z]+\}/gi) ?? [])].sort();
      for (const form of translated.split('|'))
        for (const name of names(form)) expect(names(text), `${key}: ${name}`).toContain(name);
    }
  });

  it('matches browser languages to the ones it speaks', () => {
    expect(matchLocale('ru-RU')).toBe('ru');
    expect(matchLocale('zh-Hans-CN')).toBe('zh-CN');
    expect(matchLocale('zh-TW')).toBe('zh-CN');
    expect(matchLocale('en-GB')).toBe('en');
    expect(matchLocale('de-DE')).toBeNull();
  });

  it('picks plural forms by Intl.PluralRules', () => {
    const t = i18n.global.t;
    setLocale('ru');
    try {
      expect([1, 3, 5, 11, 21, 22, 25].map((n) => t('common.peers', n))).toEqual([
        '1 пир',
        '3 пира',
        '5 пиров',
        '11 пиров',
        '21 пир',
        '22 пира',
        '25 пиров',
      ]);
      const now = Date.parse('2026-11-27T12:00:00Z');
      expect(expiryText(new Date(now + 5 * 86_400_000).toISOString(), now)).toBe('через 5 дней');
      setLocale('zh-CN');
      expect(t('common.peers', 1)).toBe('1 个对等端');
      setLocale('en');
      expect([1, 2].map((n) => t('common.peers', n))).toEqual(['1 peer', '2 peers']);
    } finally {
      setLocale('en');
    }
  });
});
