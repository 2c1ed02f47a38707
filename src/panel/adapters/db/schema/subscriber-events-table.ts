import type { Generated, Insertable, Selectable } from 'kysely';
import type { SubscriberEventType } from '../../../domain/vocabulary.js';

/** `subscriber_events`: what the policy and operators did to subscribers (history outlives them). */
export interface SubscriberEventsTable {
  id: Generated<number>;
  type: SubscriberEventType;
  /** → subscribers.id, ON DELETE SET NULL. */
  subscriber_id: number | null;
  subscriber_name: string | null;
  /** The log line, in the seed's wording. */
  message: string | null;
  /** The event's values as JSON text (bigints as strings). */
  data: string | null;
  created_at: Generated<Date>;
}

export type SubscriberEventRow = Selectable<SubscriberEventsTable>;
export type SubscriberEventInsert = Insertable<SubscriberEventsTable>;
