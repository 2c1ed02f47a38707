import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditActor, AuditLog, AuditState } from '../../app/audit/audit-entry.js';
import { changedFields } from '../../app/audit/changed-fields.js';
import { withoutSecrets } from '../../app/audit/redact.js';
import type { AuditSnapshots, SnapshotRef } from '../../app/audit/snapshots.js';
import { actorOf } from './actor-of.js';
import type { AuditRequest, AuditRule, AuditRules } from './audit-rule.js';

export interface AuditRecorderDeps {
  readonly rules: AuditRules;
  readonly log: AuditLog;
  readonly snapshots: AuditSnapshots;
  readonly now: () => Date;
  /** Who a public route's request is (sign-out: its session), for rules that `identify`. */
  readonly identify: (req: FastifyRequest) => Promise<AuditActor | null>;
}

interface Pending {
  readonly rule: AuditRule;
  readonly actor: AuditActor | null;
  readonly before: AuditState | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The audit rule's work in progress (set before the handler, recorded when answering). */
    auditPending?: Pending;
  }
}

const record = (v: unknown): Readonly<Record<string, unknown>> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const requestOf = (req: FastifyRequest): AuditRequest => ({
  params: record(req.params),
  query: record(req.query),
  body: record(req.body),
  ...(req.principal && { userId: req.principal.userId }),
});

/** The rule of a request's route, unless the route is not audited. */
function ruleOf(rules: AuditRules, req: FastifyRequest): AuditRule | undefined {
  const rule = rules[`${req.method} ${req.routeOptions.url ?? ''}`];
  return rule && 'action' in rule ? rule : undefined;
}

const answerData = (payload: unknown): unknown => {
  if (typeof payload !== 'string') return undefined;
  try {
    return record(JSON.parse(payload) as unknown).data;
  } catch {
    return undefined;
  }
};

/**
 * The one audit hook of the panel: for a route with an audit rule it reads the named state before
 * the handler runs, and when the answer is ready (before it is sent, so a client that got its
 * answer finds the entry) reads it again, keeps the fields that changed, drops every secret field
 * and records who, from where, what, on which target, and how it ended. Requests nobody can be
 * named for (no credentials) are not recorded; a failed sign-in is, under the name tried. A
 * failure to record is logged and does not change the answer.
 */
export function registerAuditRecorder(app: FastifyInstance, deps: AuditRecorderDeps): void {
  const read = async (ref: SnapshotRef | null | undefined) =>
    ref ? ((withoutSecrets(await deps.snapshots.read(ref)) as AuditState | null) ?? null) : null;

  const who = async (req: FastifyRequest, rule: AuditRule): Promise<AuditActor | null> => {
    const actor =
      actorOf(req) ??
      (rule.identify ? await deps.identify(req) : null) ??
      rule.actor?.(requestOf(req));
    // Nobody to name (a sign-in without a user name, refused before its body was read).
    return actor && (actor.username !== null || actor.apiKeyName !== null) ? actor : null;
  };

  app.addHook('preHandler', async (req) => {
    const rule = ruleOf(deps.rules, req);
    if (!rule) return;
    try {
      const actor = await who(req, rule);
      if (!actor) return;
      req.auditPending = { rule, actor, before: await read(rule.state?.(requestOf(req))) };
    } catch (err) {
      // The request goes on; the entry is written without its before (onSend tries again).
      req.log.error({ err, action: rule.action }, 'audit state not read');
    }
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const rule = ruleOf(deps.rules, req);
    if (!rule) return payload;
    try {
      // No pending work: refused before the handler (a body that did not validate, credentials).
      const pending = req.auditPending ?? { rule, actor: await who(req, rule), before: null };
      if (!pending.actor) return payload;
      const ok = reply.statusCode < 400;
      const r = requestOf(req);
      const data = ok && rule.stateAfter ? answerData(payload) : undefined;
      let before: AuditState | null = null;
      let after: AuditState | null = null;
      if (ok) {
        const afterRef = rule.stateAfter ? rule.stateAfter(r, data) : rule.state?.(r);
        ({ before, after } = changedFields(pending.before, await read(afterRef)));
      }
      const target = rule.target?.(r, data) ?? null;
      await deps.log.record({
        at: deps.now(),
        actor: pending.actor,
        address: req.ip,
        action: rule.action,
        target: target && { kind: target.kind, ids: withoutSecrets(target.ids) as AuditState },
        before,
        after,
        outcome: ok ? 'success' : 'failure',
        statusCode: reply.statusCode,
        message: ok ? null : failureMessage(payload),
      });
    } catch (err) {
      req.log.error({ err, action: rule.action }, 'audit entry not recorded');
    }
    return payload;
  });
}

function failureMessage(payload: unknown): string | null {
  if (typeof payload !== 'string') return null;
  try {
    const m = record(JSON.parse(payload) as unknown).message;
    return typeof m === 'string' ? m.slice(0, 1000) : null;
  } catch {
    return null;
  }
}
