import type { JsonValue } from '../../../../domain/notifications/webhook-request.js';
import type { ClaimedDelivery, DeliveryQueue } from '../../../../app/notifications/ports.js';
import type { FinishedDeliveries } from '../../../../app/notifications/delivery-retention.js';
import type { DatabaseHandle } from '../../open-database.js';
import type { DeliveryRow } from '../../schema/notifications-tables.js';

const STATUS = { pending: -1, delivered: 0, failed: 1 } as const;

export function parsePayload(json: string): Record<string, JsonValue> {
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, JsonValue>)
      : {};
  } catch {
    return {};
  }
}

function claimed(r: DeliveryRow): ClaimedDelivery {
  return {
    id: r.id,
    eventId: r.event_id,
    action: r.action,
    channel: r.channel,
    target: r.target,
    webhookId: r.webhook_id,
    payload: parsePayload(r.payload),
    attempts: r.attempts,
    createdAt: r.created_at,
  };
}

/**
 * The outbox's claim and bookkeeping. A claim is one transaction: select the due rows whose lease
 * is free `FOR UPDATE SKIP LOCKED` (PostgreSQL, MySQL 8 / MariaDB 10.6+: a row another panel is
 * claiming at that moment is skipped, not waited for), then write the lease. On SQLite the row
 * locks compile to nothing: the immediate transaction holds the database's one write lock, so two
 * panels sharing a file claim one after the other. Whatever the dialect, a row is sent by the
 * holder of its lease, and the lease (longer than an attempt can take) bounds how long a dead
 * panel keeps it.
 */
export function createOutboxQueue(handle: DatabaseHandle): DeliveryQueue {
  const db = handle.db;
  return {
    async releaseLeases(owner) {
      const r = await db
        .updateTable('notification_deliveries')
        .set({ lease_owner: null, lease_until: null })
        .where('lease_owner', '=', owner)
        .where('status', '=', STATUS.pending)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async claimDue(owner, now, leaseUntil, limit) {
      if (limit <= 0) return [];
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('notification_deliveries')
          .selectAll()
          .where('status', '=', STATUS.pending)
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        if (rows.length === 0) return [];
        await trx
          .updateTable('notification_deliveries')
          .set({ lease_owner: owner, lease_until: leaseUntil })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        return rows.map(claimed);
      });
    },

    async finishAttempt(owner, id, attempt, next) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('notification_deliveries')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            status: STATUS[next.status],
            lease_owner: null,
            lease_until: null,
            ...(next.status === 'pending'
              ? { next_attempt_at: next.nextAttemptAt }
              : { finished_at: next.finishedAt }),
          }))
          .where('id', '=', id)
          .where('lease_owner', '=', owner)
          .where('status', '=', STATUS.pending)
          .executeTakeFirst();
        const kept = Number(r.numUpdatedRows) === 1;
        // The line is kept either way: the attempt happened.
        const exists = await trx
          .selectFrom('notification_deliveries')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (exists)
          await trx
            .insertInto('notification_attempts')
            .values({
              delivery_id: id,
              at: attempt.at,
              status: attempt.ok ? 0 : 1,
              message: attempt.message.slice(0, 4000),
            })
            .execute();
        return kept;
      });
    },
  };
}

/** The retention's deletes: finished deliveries and their attempts, one transaction. */
export function createFinishedDeliveries(handle: DatabaseHandle): FinishedDeliveries {
  return {
    async deleteFinished(before, remindersBefore) {
      return handle.db.transaction().execute(async (trx) => {
        const doomed = (eb: typeof trx) =>
          eb
            .selectFrom('notification_deliveries')
            .select('id')
            .where('status', '<>', STATUS.pending)
            .where((w) =>
              w.or([
                w.and([w('event_id', 'not like', 'reminder:%'), w('finished_at', '<', before)]),
                w('finished_at', '<', remindersBefore),
              ]),
            );
        const ids = (await doomed(trx).execute()).map((r) => r.id);
        for (let i = 0; i < ids.length; i += 500) {
          const part = ids.slice(i, i + 500);
          await trx.deleteFrom('notification_attempts').where('delivery_id', 'in', part).execute();
          await trx.deleteFrom('notification_deliveries').where('id', 'in', part).execute();
        }
        return ids.length;
      });
    },
  };
}
