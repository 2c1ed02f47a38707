import type { NOTIFICATION_LANGUAGES } from '../api/types';

/** Each notification template language by its own name (the same in every UI language). */
export const LANGUAGE_NAMES: Record<(typeof NOTIFICATION_LANGUAGES)[number], string> = {
  en: 'English',
  'zh-CN': '简体中文',
  ru: 'Русский',
  de: 'Deutsch',
};
