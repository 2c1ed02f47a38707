import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditFilter, AuditLog, StoredAuditEntry } from '../../app/audit/audit-entry.js';
import { auditCsv } from '../../app/audit/audit-csv.js';
import { invalidInput } from '../../app/errors.js';
import {
  AuditCsvQuery,
  AuditLogJson,
  AuditLogQuery,
  type AuditEntryJson,
} from '../../../shared/wire/panel-api.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import { optionalDate } from './usage-query.js';

export interface AuditRoutesDeps {
  readonly log: AuditLog;
  readonly now: () => Date;
}

/** The most rows one CSV export holds (newest first). */
export const AUDIT_CSV_MAX_ROWS = 100_000;

const toJson = (e: StoredAuditEntry): AuditEntryJson => ({
  id: e.id,
  at: e.at.toISOString(),
  username: e.actor.username,
  api_key_name: e.actor.apiKeyName,
  address: e.address,
  action: e.action,
  target_kind: e.target?.kind ?? null,
  target: e.target?.ids ?? null,
  before: e.before,
  after: e.after,
  outcome: e.outcome,
  status_code: e.statusCode,
  message: e.message,
});

/**
 * The query's filters; a caller allowed only its own (a reseller) sees the entries it made and
 * nothing else, whatever it asks.
 */
function filters(
  q: { user?: string; action?: string; from?: string; to?: string },
  req: FastifyRequest,
) {
  const mine = req.access === 'own' ? (req.principal?.username ?? '') : undefined;
  const from = optionalDate(q.from, 'from');
  const to = optionalDate(q.to, 'to');
  if (from && to && from.getTime() >= to.getTime()) throw invalidInput('from', 'must be before to');
  return {
    ...(q.user !== undefined && { user: q.user }),
    ...(mine !== undefined && { actorUsername: mine }),
    ...(q.action !== undefined && { action: q.action }),
    ...(from && { from }),
    ...(to && { to }),
  } satisfies Partial<AuditFilter>;
}

/** `GET /api/getAuditLog` (paged, in the envelope) and `GET /api/exportAuditCsv`. */
export const auditRoutes =
  (deps: AuditRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const fail = { 400: FailureBody, 401: FailureBody };

    app.get(
      '/api/getAuditLog',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Who changed what: every change by a user or an API key, and every sign-in (newest first)',
          querystring: AuditLogQuery,
          response: { 200: Envelope(AuditLogJson), ...fail },
        },
      },
      async (req) => {
        const page = req.query.page ?? 1;
        const pageSize = req.query.pageSize ?? 50;
        const { entries, total } = await deps.log.find({
          ...filters(req.query, req),
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return ok({ entries: entries.map(toJson), total, page, pageSize });
      },
    );

    app.get(
      '/api/exportAuditCsv',
      {
        schema: {
          tags: ['audit'],
          summary: `The audit log as CSV, with getAuditLog's filters (newest first, at most ${AUDIT_CSV_MAX_ROWS} rows)`,
          querystring: AuditCsvQuery,
          response: {
            200: {
              description: 'One row per entry; failures are JSON envelopes',
              content: { 'text/csv': { schema: Type.String() } },
            },
            ...fail,
          },
        },
      },
      async (req, reply) => {
        const f = filters(req.query, req);
        const all: StoredAuditEntry[] = [];
        const chunk = 1000;
        for (let offset = 0; offset < AUDIT_CSV_MAX_ROWS; offset += chunk) {
          const { entries } = await deps.log.find({ ...f, limit: chunk, offset });
          all.push(...entries);
          if (entries.length < chunk) break;
        }
        const day = deps.now().toISOString().slice(0, 10);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
          .send(auditCsv(all));
      },
    );
  };
