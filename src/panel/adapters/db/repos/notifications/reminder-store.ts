import type { ReminderStore } from '../../../../app/notifications/expiry-reminders.js';
import type { DatabaseHandle } from '../../open-database.js';
import type { EventJournal } from './event-journal.js';

const DAY_MS = 24 * 3600_000;
const CHUNK = 500;

/** The reminders' reads, and their deliveries through the journal (subscribers only). */
export function createReminderStore(handle: DatabaseHandle, journal: EventJournal): ReminderStore {
  const db = handle.db;
  return {
    async expiring(now, days) {
      const rows = await db
        .selectFrom('peers as p')
        .innerJoin('configurations as c', 'c.id', 'p.configuration_id')
        .innerJoin('nodes as n', 'n.id', 'c.node_id')
        .select([
          'p.id',
          'p.name',
          'p.public_key',
          'p.expiry_date',
          'c.name as configuration',
          'n.name as node',
        ])
        .where('p.status', '=', 'active')
        .where('p.expiry_date', '>', now)
        .where('p.expiry_date', '<=', new Date(now.getTime() + days * DAY_MS))
        .orderBy('p.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        publicKey: r.public_key,
        configuration: r.configuration,
        node: r.node,
        expiryDate: r.expiry_date as Date,
      }));
    },
    async expiringSubscribers(now, days) {
      const rows = await db
        .selectFrom('subscribers')
        .select(['id', 'name', 'expiry_date'])
        .where('status', '<>', 'restricted')
        .where('expiry_date', '>', now)
        .where('expiry_date', '<=', new Date(now.getTime() + days * DAY_MS))
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, expiryDate: r.expiry_date as Date }));
    },
    async known(eventIds) {
      const found = new Set<string>();
      for (let i = 0; i < eventIds.length; i += CHUNK) {
        const rows = await db
          .selectFrom('notification_deliveries')
          .select('event_id')
          .where('event_id', 'in', eventIds.slice(i, i + CHUNK))
          .execute();
        for (const r of rows) found.add(r.event_id);
      }
      return found;
    },
    async enqueue(notifications) {
      await db
        .transaction()
        .execute((trx) => journal.notify(trx, notifications, { only: 'subscribers' }));
      journal.committed();
    },
  };
}
