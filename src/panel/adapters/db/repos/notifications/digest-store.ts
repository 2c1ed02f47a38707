import type { DigestStore } from '../../../../app/notifications/daily-digest.js';
import type { DatabaseHandle } from '../../open-database.js';
import { toSafeNumber } from '../../values.js';
import { insertDeliveries } from './event-journal.js';

const DAY_MS = 24 * 3600_000;

/** The digest's numbers and its deliveries, on the panel database. */
export function createDigestStore(handle: DatabaseHandle): DigestStore {
  const db = handle.db;
  return {
    async alreadySent(eventId) {
      const r = await db
        .selectFrom('notification_deliveries')
        .select('id')
        .where('event_id', '=', eventId)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
    async facts(now) {
      const nodes = await db
        .selectFrom('nodes')
        .select(['name', 'status'])
        .orderBy('name')
        .execute();
      const restricted = await db
        .selectFrom('peers')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .where('status', '=', 'restricted')
        .executeTakeFirstOrThrow();
      const expiring = await db
        .selectFrom('peers')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .where('status', '=', 'active')
        .where('expiry_date', '>', now)
        .where('expiry_date', '<=', new Date(now.getTime() + 7 * DAY_MS))
        .executeTakeFirstOrThrow();
      const events = await db
        .selectFrom('peer_events')
        .select(['type', (eb) => eb.fn.countAll<bigint>().as('n')])
        .where('created_at', '>=', new Date(now.getTime() - DAY_MS))
        .groupBy('type')
        .orderBy('type')
        .execute();
      return {
        nodesTotal: nodes.length,
        nodesOffline: nodes.filter((n) => n.status === 'offline').map((n) => n.name),
        peersRestricted: toSafeNumber(restricted.n, 'count'),
        peersExpiringSoon: toSafeNumber(expiring.n, 'count'),
        eventCounts: Object.fromEntries(events.map((e) => [e.type, toSafeNumber(e.n, 'count')])),
      };
    },
    async enqueue(deliveries) {
      try {
        await db.transaction().execute((trx) => insertDeliveries(trx, deliveries));
        return true;
      } catch (err) {
        if (handle.dialect.constraintViolation(err) === 'unique') return false;
        throw err;
      }
    },
  };
}
