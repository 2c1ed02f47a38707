import type { WebhookContentType } from '../../../../domain/vocabulary.js';
import type {
  DeliverySession,
  WebhookRecord,
  WebhookStore,
} from '../../../../app/notifications/ports.js';
import type { DatabaseHandle } from '../../open-database.js';
import type { WebhookRow } from '../../schema/notifications-tables.js';
import { openStored, sealOrNull, webhookSecretBinding } from '../../secrets/secret-bindings.js';
import type { SecretCipher } from '../../secrets/secret-cipher.js';
import { insertDeliveries, parseList } from './event-journal.js';
import { parsePayload } from './outbox-store.js';

function parseHeaders(json: string): WebhookRecord['headers'] {
  try {
    const v = JSON.parse(json) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, { key: string; value: string }> = {};
    for (const [k, h] of Object.entries(v as Record<string, unknown>)) {
      const o = h as { key?: unknown; value?: unknown } | null;
      if (o && typeof o.key === 'string' && typeof o.value === 'string')
        out[k] = { key: o.key, value: o.value };
    }
    return out;
  } catch {
    return {};
  }
}

function record(r: WebhookRow, secrets: SecretCipher): WebhookRecord {
  return {
    id: r.id,
    payloadUrl: r.payload_url,
    contentType: r.content_type as WebhookContentType,
    headers: parseHeaders(r.headers),
    verifySsl: r.verify_ssl,
    subscribedActions: parseList(r.subscribed_actions),
    isActive: r.is_active,
    notes: r.notes,
    secret: openStored(secrets, r.secret, webhookSecretBinding(r.id)),
    createdAt: r.created_at,
  };
}

/** Webhooks and their deliveries (the outbox rows of channel `webhook`); secrets sealed. */
export function createWebhookStore(handle: DatabaseHandle): WebhookStore {
  const db = handle.db;
  const secrets = handle.secrets;
  return {
    async list() {
      const rows = await db
        .selectFrom('webhooks')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => record(r, secrets));
    },
    async get(id) {
      const r = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? record(r, secrets) : null;
    },
    async save(w, now) {
      const row = {
        payload_url: w.payloadUrl,
        content_type: w.contentType,
        headers: JSON.stringify(w.headers),
        verify_ssl: w.verifySsl,
        subscribed_actions: JSON.stringify(w.subscribedActions),
        is_active: w.isActive,
        notes: w.notes,
        ...(w.secret !== undefined && {
          secret: sealOrNull(secrets, w.secret, webhookSecretBinding(w.id)),
        }),
      };
      return db.transaction().execute(async (trx) => {
        const found = await trx
          .selectFrom('webhooks')
          .select('id')
          .where('id', '=', w.id)
          .forUpdate()
          .executeTakeFirst();
        if (found) {
          await trx.updateTable('webhooks').set(row).where('id', '=', w.id).execute();
          return 'updated' as const;
        }
        await trx
          .insertInto('webhooks')
          .values({
            id: w.id,
            ...row,
            secret: sealOrNull(secrets, w.secret ?? null, webhookSecretBinding(w.id)),
            created_at: now,
          })
          .execute();
        return 'created' as const;
      });
    },
    async delete(id) {
      return db.transaction().execute(async (trx) => {
        // Explicitly, not only by the foreign key: SQLite enforces it only with the pragma on.
        await trx.deleteFrom('notification_deliveries').where('webhook_id', '=', id).execute();
        const r = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    },
    async sessions(filter, limit) {
      let q = db.selectFrom('notification_deliveries').selectAll();
      if (filter.webhookId !== undefined) q = q.where('webhook_id', '=', filter.webhookId);
      if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
      if (rows.length === 0) return [];
      const attempts = await db
        .selectFrom('notification_attempts')
        .select(['delivery_id', 'at', 'status', 'message'])
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id')
        .execute();
      const by = new Map<string, DeliverySession['attempts'][number][]>();
      for (const a of attempts) {
        const list = by.get(a.delivery_id) ?? [];
        list.push({ at: a.at, ok: a.status === 0, message: a.message });
        by.set(a.delivery_id, list);
      }
      return rows.map((r): DeliverySession => ({
        id: r.id,
        eventId: r.event_id,
        action: r.action,
        channel: r.channel,
        target: r.target,
        webhookId: r.webhook_id,
        payload: parsePayload(r.payload),
        status: r.status === 0 ? 0 : r.status === 1 ? 1 : -1,
        attempts: by.get(r.id) ?? [],
        createdAt: r.created_at,
        finishedAt: r.finished_at,
        nextAttemptAt: r.status === -1 ? r.next_attempt_at : null,
      }));
    },
    async enqueue(deliveries) {
      await db.transaction().execute((trx) => insertDeliveries(trx, deliveries));
    },
  };
}
