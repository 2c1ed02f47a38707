import { ref } from 'vue';

/** A notice for the next page to show once (a subscriber just created, on its own page). */
const pending = ref('');

export const setFlash = (message: string) => (pending.value = message);

/** The pending notice, and forgets it. */
export function takeFlash(): string {
  const m = pending.value;
  pending.value = '';
  return m;
}
