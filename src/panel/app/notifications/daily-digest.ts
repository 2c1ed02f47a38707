import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { Contact, NewDelivery } from './notification.js';
import { operatorContacts, type NotificationSettings } from './notification-settings.js';
import type { NotificationSettingsStore } from './ports.js';
import { renderDigest } from './templates/render.js';
import type { DigestFacts } from './templates/template-set.js';

/** What the digest reads and writes. */
export interface DigestStore {
  /** Whether the digest of this day was written already (by this panel or another). */
  alreadySent(eventId: string): Promise<boolean>;
  facts(now: Date): Promise<Omit<DigestFacts, 'day'>>;
  /** Writes the deliveries; false when another panel wrote that day's first. */
  enqueue(deliveries: readonly NewDelivery[]): Promise<boolean>;
}

export interface DailyDigestDeps {
  readonly store: DigestStore;
  readonly settings: Pick<NotificationSettingsStore, 'read'>;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly nudge?: () => void;
  /** The panel's time zone: the digest's hour and day are its (default UTC). */
  readonly timezone?: () => string;
}

/**
 * The day (in `zone`, the panel's time zone) whose digest is due at `now`, or null (before
 * `digest_hour` there, or switched off).
 */
export function digestDay(now: Date, s: NotificationSettings, zone = 'UTC'): string | null {
  const local = DateTime.fromJSDate(now).setZone(zone);
  const at = local.isValid ? local : DateTime.fromJSDate(now, { zone: 'utc' });
  if (!s.daily_digest || at.hour < s.digest_hour) return null;
  return at.toFormat('yyyy-MM-dd');
}

/**
 * Once a day, at `digest_hour` (the panel's time zone), the operators get a digest: nodes offline, peers restricted
 * and expiring, the last 24 h's events. The day's event id is fixed (`digest:YYYY-MM-DD`), so a
 * restart or a second panel never sends it twice (the outbox's unique event and target).
 */
export class DailyDigest {
  constructor(private readonly deps: DailyDigestDeps) {}

  /** Writes today's digest if it is due and not written yet; answers whether it wrote it. */
  async runOnce(): Promise<boolean> {
    const settings = await this.deps.settings.read();
    const now = this.deps.now();
    const day = digestDay(now, settings, this.deps.timezone?.() ?? 'UTC');
    if (day === null) return false;
    const contacts: Contact[] = operatorContacts(settings).map((c) => ({
      ...c,
      language: settings.language,
      audience: 'operator',
    }));
    if (contacts.length === 0) return false;
    const eventId = `digest:${day}`;
    if (await this.deps.store.alreadySent(eventId)) return false;
    const facts: DigestFacts = { day, ...(await this.deps.store.facts(now)) };
    const deliveries = contacts.map((c): NewDelivery => {
      const m = renderDigest(facts, settings.language);
      return {
        id: this.deps.newId(),
        eventId,
        action: 'daily_digest',
        channel: c.channel,
        target: `${c.channel}:${c.address.toLowerCase()}`,
        webhookId: null,
        payload:
          c.channel === 'email'
            ? { to: c.address, subject: m.subject, text: m.text, html: m.html }
            : { chat_id: c.address, text: `${m.subject}\n\n${m.text}` },
        createdAt: now,
      };
    });
    const wrote = await this.deps.store.enqueue(deliveries);
    if (wrote) {
      this.deps.logger.info({ day, deliveries: deliveries.length }, 'daily digest queued');
      this.deps.nudge?.();
    }
    return wrote;
  }
}
