import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../app/audit/audit-entry.js';
import type { Principal } from '../../app/auth/auth-service.js';

/**
 * Who made a request, as the audit log names it: a user, or an API key by its name. The ONE place
 * that reads what auth says of a requester (today's `Principal` of app/auth/auth-service.ts, where
 * an API key has no owner or name yet and is named by its prefix). With named keys owned by
 * users, this becomes `{ username: p.username, apiKeyName: p.apiKeyName }`.
 */
export function actorOfPrincipal(p: Principal | null): AuditActor | null {
  if (!p) return null;
  return p.via === 'api_key'
    ? { username: null, apiKeyName: p.username.replace(/^api-key:/, '') }
    : { username: p.username, apiKeyName: null };
}

/** The requester the auth hook found (null on public routes and before it ran). */
export const actorOf = (req: FastifyRequest): AuditActor | null => actorOfPrincipal(req.principal);
