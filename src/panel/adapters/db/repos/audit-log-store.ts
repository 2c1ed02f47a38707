import type {
  AuditFilter,
  AuditLog,
  AuditState,
  StoredAuditEntry,
} from '../../../app/audit/audit-entry.js';
import type { AuditTargetKind } from '../../../domain/vocabulary.js';
import type { DatabaseHandle } from '../open-database.js';
import { toSafeNumber } from '../values.js';

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

function parse(text: string | null): AuditState | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' ? (v as AuditState) : null;
  } catch {
    return null;
  }
}

/** The audit log over the `audit_log` table (migration 0017). */
export function createAuditLogStore(handle: DatabaseHandle): AuditLog {
  return {
    async record(e) {
      await handle.db
        .insertInto('audit_log')
        .values({
          at: e.at,
          username: e.actor.username?.slice(0, 255) ?? null,
          api_key_name: e.actor.apiKeyName?.slice(0, 255) ?? null,
          address: e.address?.slice(0, 64) ?? null,
          action: e.action.slice(0, 64),
          target_kind: e.target?.kind ?? null,
          target: e.target ? json(e.target.ids) : null,
          before_state: json(e.before),
          after_state: json(e.after),
          outcome: e.outcome,
          status_code: e.statusCode,
          message: e.message,
        })
        .execute();
    },

    async find(f: AuditFilter) {
      let q = handle.db.selectFrom('audit_log');
      if (f.user !== undefined)
        q = q.where((eb) =>
          eb.or([eb('username', '=', f.user!), eb('api_key_name', '=', f.user!)]),
        );
      if (f.actorUsername !== undefined) q = q.where('username', '=', f.actorUsername);
      if (f.action !== undefined) q = q.where('action', '=', f.action);
      if (f.from) q = q.where('at', '>=', f.from);
      if (f.to) q = q.where('at', '<', f.to);
      const total = await q
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      const entries = rows.map((r): StoredAuditEntry => ({
        id: r.id,
        at: r.at,
        actor: { username: r.username, apiKeyName: r.api_key_name },
        address: r.address,
        action: r.action,
        target:
          r.target_kind === null
            ? null
            : { kind: r.target_kind as AuditTargetKind, ids: parse(r.target) ?? {} },
        before: parse(r.before_state),
        after: parse(r.after_state),
        outcome: r.outcome,
        statusCode: r.status_code,
        message: r.message,
      }));
      return { entries, total: toSafeNumber(total.n, 'count') };
    },
  };
}
