import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../app/audit/audit-entry.js';
import type { Principal } from '../../app/auth/principal.js';

/**
 * Who made a request, as the audit log names it: the user, and the API key's name when a key
 * (acting as its owner) made it. The one place that reads what auth says of a requester.
 */
export function actorOfPrincipal(p: Principal | null): AuditActor | null {
  if (!p) return null;
  return { username: p.username, apiKeyName: p.kind === 'api_key' ? p.apiKeyName : null };
}

/** The requester the auth hook found (null on public routes and before it ran). */
export const actorOf = (req: FastifyRequest): AuditActor | null => actorOfPrincipal(req.principal);
