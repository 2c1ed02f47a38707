import type { Logger } from 'pino';
import { daysUntil } from '../../domain/policy/evaluate.js';
import type { Notification } from './notification.js';
import type { NotificationSettingsStore } from './ports.js';

/** An active peer whose expiry is near. */
export interface ExpiringPeer {
  readonly id: number;
  readonly name: string;
  readonly publicKey: string;
  readonly configuration: string;
  readonly node: string;
  readonly expiryDate: Date;
}

/** A subscriber (not cut off) whose expiry is near. */
export interface ExpiringSubscriber {
  readonly id: number;
  readonly name: string;
  readonly expiryDate: Date;
}

/** What the reminders read and write. */
export interface ReminderStore {
  /** Active peers whose expiry is after `now` and at most `days` days away. */
  expiring(now: Date, days: number): Promise<ExpiringPeer[]>;
  /** Subscribers not cut off whose expiry is after `now` and at most `days` days away. */
  expiringSubscribers(now: Date, days: number): Promise<ExpiringSubscriber[]>;
  /** Which of these event ids have deliveries already. */
  known(eventIds: readonly string[]): Promise<Set<string>>;
  /** Writes the reminders' deliveries to the peers' subscribers (one transaction). */
  enqueue(notifications: readonly Notification[]): Promise<void>;
}

/**
 * The reminder due with `daysLeft` days left: the smallest configured day count it has reached
 * (days [3, 1]: 3 with two or three days left, 1 on the last day), or null (not yet).
 */
export function reminderDays(daysLeft: number, days: readonly number[]): number | null {
  const reached = days.filter((d) => daysLeft <= d);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** One reminder per peer, expiry date and day count: its event id says which. */
export const reminderEventId = (peerId: number, expiry: Date, days: number) =>
  `reminder:${peerId}:${expiry.getTime()}:${days}`;

/** One reminder per subscriber, expiry date and day count. */
export const subscriberReminderEventId = (subscriberId: number, expiry: Date, days: number) =>
  `reminder:subscriber:${subscriberId}:${expiry.getTime()}:${days}`;

/** The subscriber's "N days left": to its own contacts only. */
function subscriberReminder(
  s: ExpiringSubscriber,
  left: number,
  days: number,
  now: Date,
): Notification {
  const message = `Subscriber ${s.name} expiring soon. Days remaining: ${left}`;
  return {
    eventId: subscriberReminderEventId(s.id, s.expiryDate, days),
    action: 'subscriber_expiring_soon',
    reminder: true,
    at: now,
    peerId: null,
    subscriberId: s.id,
    data: {
      subscriber: { id: s.id, name: s.name },
      message,
      expiry_date: s.expiryDate.toISOString(),
      days_remaining: left,
    },
    facts: {
      peerName: s.name,
      configuration: null,
      node: null,
      usageBytes: null,
      limitBytes: null,
      percent: null,
      daysLeft: left,
      expiryDate: s.expiryDate.toISOString(),
      reason: null,
      message,
    },
  };
}

export interface ExpiryRemindersDeps {
  readonly store: ReminderStore;
  readonly settings: Pick<NotificationSettingsStore, 'read'>;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly nudge?: () => void;
}

/**
 * "N days left" to the subscribers that expire soon, and to those whose peers do, at each of
 * `expiry_warning_days` (default 3 and 1). A new expiry date is a new reminder; an event id already in the outbox is
 * never written again, so a restart or a second panel does not repeat one.
 */
export class ExpiryReminders {
  constructor(private readonly deps: ExpiryRemindersDeps) {}

  /** Writes the reminders due now; answers how many. */
  async runOnce(): Promise<number> {
    const s = await this.deps.settings.read();
    if (s.expiry_warning_days.length === 0) return 0;
    const now = this.deps.now();
    const peers = await this.deps.store.expiring(now, Math.max(...s.expiry_warning_days));
    const due: Notification[] = [];
    for (const p of peers) {
      const left = daysUntil(p.expiryDate, now);
      const days = reminderDays(left, s.expiry_warning_days);
      if (days === null) continue;
      const message = `Peer ${p.name || '(unnamed)'} (${p.publicKey.slice(0, 6)}...) expiring soon. Days remaining: ${left}`;
      due.push({
        eventId: reminderEventId(p.id, p.expiryDate, days),
        action: 'peer_expiring_soon',
        reminder: true,
        at: now,
        peerId: p.id,
        data: {
          configuration: p.configuration,
          node: p.node,
          message,
          peers: [p.publicKey],
          expiry_date: p.expiryDate.toISOString(),
          days_remaining: left,
        },
        facts: {
          peerName: p.name,
          configuration: p.configuration,
          node: p.node,
          usageBytes: null,
          limitBytes: null,
          percent: null,
          daysLeft: left,
          expiryDate: p.expiryDate.toISOString(),
          reason: null,
          message,
        },
      });
    }
    for (const sub of await this.deps.store.expiringSubscribers(
      now,
      Math.max(...s.expiry_warning_days),
    )) {
      const left = daysUntil(sub.expiryDate, now);
      const days = reminderDays(left, s.expiry_warning_days);
      if (days !== null) due.push(subscriberReminder(sub, left, days, now));
    }
    if (due.length === 0) return 0;
    const known = await this.deps.store.known(due.map((n) => n.eventId));
    const fresh = due.filter((n) => !known.has(n.eventId));
    if (fresh.length === 0) return 0;
    await this.deps.store.enqueue(fresh);
    this.deps.logger.info({ reminders: fresh.length }, 'expiry reminders queued');
    this.deps.nudge?.();
    return fresh.length;
  }
}
