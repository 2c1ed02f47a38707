import type { Kysely } from 'kysely';
import { LeaseLostError } from '../../../app/cluster/lease-lost.js';
import type { ClusterStore, Fence } from '../../../app/cluster/ports.js';
import type { DatabaseHandle } from '../open-database.js';
import type { Database } from '../schema/database.js';

/**
 * Checks, inside the caller's transaction, that `fence` still holds: the lease row names its
 * holder and token and has not expired at `now`. The row is locked (FOR UPDATE on PostgreSQL and
 * MySQL/MariaDB; SQLite's write lock) until the transaction ends, so a takeover, which updates
 * that row, waits for this write to commit or comes before it and makes it fail: a write is
 * either done before the lease changed hands or refused. Throws LeaseLostError.
 */
export async function assertLease(trx: Kysely<Database>, fence: Fence, now: Date): Promise<void> {
  const row = await trx
    .selectFrom('cluster_leases')
    .select(['panel_id', 'token', 'expires_at'])
    .where('resource', '=', fence.resource)
    .forUpdate()
    .executeTakeFirst();
  if (
    !row ||
    row.panel_id !== fence.holder ||
    row.token !== fence.token ||
    row.expires_at.getTime() <= now.getTime()
  )
    throw new LeaseLostError(fence);
}

/** The cluster tables (migration 0018), see ClusterStore. */
export function createClusterStore(handle: DatabaseHandle): ClusterStore {
  const db = handle.db;
  /** Inserts a free row for the resource unless one exists (two panels may race: one wins). */
  const ensureRow = async (resource: string) => {
    const seen = await db
      .selectFrom('cluster_leases')
      .select('resource')
      .where('resource', '=', resource)
      .executeTakeFirst();
    if (seen) return;
    try {
      await db
        .insertInto('cluster_leases')
        .values({ resource, panel_id: '', token: 0n, expires_at: new Date(0) })
        .execute();
    } catch (e) {
      if (handle.dialect.constraintViolation(e) !== 'unique') throw e;
    }
  };
  return {
    async heartbeat(panel, now) {
      const r = await db
        .updateTable('cluster_panels')
        .set({ heartbeat_at: now })
        .where('panel_id', '=', panel.id)
        .executeTakeFirst();
      if (r.numUpdatedRows > 0n) return;
      await db
        .insertInto('cluster_panels')
        .values({
          panel_id: panel.id,
          host: panel.host.slice(0, 255),
          started_at: now,
          heartbeat_at: now,
        })
        .execute();
    },

    async livePanels(since) {
      const rows = await db
        .selectFrom('cluster_panels')
        .select('panel_id')
        .where('heartbeat_at', '>', since)
        .execute();
      return rows.map((r) => r.panel_id);
    },

    async leave(panelId, before) {
      await db
        .deleteFrom('cluster_panels')
        .where((eb) => eb.or([eb('panel_id', '=', panelId), eb('heartbeat_at', '<', before)]))
        .execute();
    },

    async leases(prefix) {
      const rows = await db
        .selectFrom('cluster_leases')
        .selectAll()
        .where('resource', 'like', `${prefix}%`)
        .execute();
      return rows.map((r) => ({
        resource: r.resource,
        holder: r.panel_id,
        token: r.token,
        expiresAt: r.expires_at,
      }));
    },

    async acquire(resource, holder, now, until) {
      await ensureRow(resource);
      return db.transaction().execute(async (trx) => {
        // Compare-and-set on the expiry: of two panels taking the same free lease, the second
        // finds it no longer expired (the row lock orders them).
        const r = await trx
          .updateTable('cluster_leases')
          .set((eb) => ({ panel_id: holder, token: eb('token', '+', 1n), expires_at: until }))
          .where('resource', '=', resource)
          .where('expires_at', '<=', now)
          .executeTakeFirst();
        if (r.numUpdatedRows === 0n) return null;
        const row = await trx
          .selectFrom('cluster_leases')
          .select('token')
          .where('resource', '=', resource)
          .executeTakeFirstOrThrow();
        return row.token;
      });
    },

    async renew(fence, now, until) {
      const r = await db
        .updateTable('cluster_leases')
        .set({ expires_at: until })
        .where('resource', '=', fence.resource)
        .where('panel_id', '=', fence.holder)
        .where('token', '=', fence.token)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    async release(fence, now) {
      await db
        .updateTable('cluster_leases')
        .set({ expires_at: now })
        .where('resource', '=', fence.resource)
        .where('panel_id', '=', fence.holder)
        .where('token', '=', fence.token)
        .execute();
    },

    nodes: () => db.selectFrom('nodes').select(['id', 'name']).orderBy('id').execute(),

    async forget(resources) {
      if (resources.length === 0) return;
      await db.deleteFrom('cluster_leases').where('resource', 'in', resources).execute();
    },
  };
}
