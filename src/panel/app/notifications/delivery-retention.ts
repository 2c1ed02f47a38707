import type { NotificationSettingsStore } from './ports.js';

const DAY_MS = 24 * 3600_000;

/**
 * Reminders' deliveries are what says a reminder was sent (its event id); they are kept longer
 * than the farthest reminder (expiry_warning_days ≤ 365), so pruning never lets one go twice.
 */
export const REMINDER_KEEP_DAYS = 366;

/** Finished deliveries (delivered or failed), as the retention deletes them. */
export interface FinishedDeliveries {
  /**
   * Deletes the deliveries finished before `before` with their attempts (reminders: finished
   * before `remindersBefore`); pending ones are never deleted. Answers how many.
   */
  deleteFinished(before: Date, remindersBefore: Date): Promise<number>;
}

/** Deletes what `delivery_retention_days` lets go, at `now`; answers how many deliveries. */
export async function pruneDeliveries(
  store: FinishedDeliveries,
  settings: Pick<NotificationSettingsStore, 'read'>,
  now: Date,
): Promise<number> {
  const days = (await settings.read()).delivery_retention_days;
  const before = new Date(now.getTime() - days * DAY_MS);
  const remindersBefore = new Date(now.getTime() - Math.max(days, REMINDER_KEEP_DAYS) * DAY_MS);
  return store.deleteFinished(before, remindersBefore);
}
