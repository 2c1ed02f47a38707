import { reactive } from 'vue';
import { call } from '../api/client';

/**
 * Subscribers' names by id, for the peers page's subscriber column: each id looked up once
 * (getSubscriber), then kept for the page's life. A failed lookup is retried on the next call.
 */
export const subscriberNames = reactive(new Map<number, string>());
const asked = new Set<number>();

/** Looks up the names of the ids not known yet (a few at a time). */
export async function learnSubscriberNames(ids: Iterable<number>): Promise<void> {
  const unknown = [...new Set(ids)].filter((id) => !subscriberNames.has(id) && !asked.has(id));
  for (const id of unknown) asked.add(id);
  for (let i = 0; i < unknown.length; i += 5)
    await Promise.all(
      unknown.slice(i, i + 5).map(async (id) => {
        try {
          subscriberNames.set(id, (await call('getSubscriber', { query: { id } })).data.name);
        } catch {
          // Gone, or no answer: the column shows the id; ask again next time.
        } finally {
          asked.delete(id);
        }
      }),
    );
}

/** Remembers a name already at hand (a filter picked from the list). */
export const knowSubscriberName = (id: number, name: string) => subscriberNames.set(id, name);
