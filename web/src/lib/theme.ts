import { ref, watchEffect } from 'vue';

export type Theme = 'auto' | 'light' | 'dark';
const KEY = 'wgfleet-theme';

function stored(): Theme {
  const t = localStorage.getItem(KEY);
  return t === 'light' || t === 'dark' ? t : 'auto';
}

/** The chosen theme; `auto` follows prefers-color-scheme (Pico's default without data-theme). */
export const theme = ref<Theme>(stored());

watchEffect(() => {
  const root = document.documentElement;
  if (theme.value === 'auto') {
    root.removeAttribute('data-theme');
    localStorage.removeItem(KEY);
  } else {
    root.setAttribute('data-theme', theme.value);
    localStorage.setItem(KEY, theme.value);
  }
});

/** auto → light → dark → auto. */
export function nextTheme(): void {
  theme.value = theme.value === 'auto' ? 'light' : theme.value === 'light' ? 'dark' : 'auto';
}
