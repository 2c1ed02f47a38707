import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../app/auth/auth-service.js';
import type { Principal } from '../app/auth/principal.js';
import { forbidden, methodNotAllowed, unauthorized } from '../app/errors.js';
import { decideAccess, type AccessDecision } from '../domain/access.js';
import { ruleOf } from './route-rules.js';
import { crossSiteReason } from './same-origin.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; set by the auth hook on every route that is not public. */
    principal: Principal | null;
    /**
     * What the route's rule gives the principal: `all`, or `own` (a reseller: only what it
     * created; the route's use case scopes it). `all` on public routes.
     */
    access: Exclude<AccessDecision['allowed'], false>;
  }
  interface FastifyInstance {
    /**
     * Every route of the panel app: method, URL, hidden from the OpenAPI document or not, a GET
     * that changes state, public (the audit test reads the last two).
     */
    routeTable: readonly {
      method: string;
      url: string;
      hidden: boolean;
      getChangesState: boolean;
      public: boolean;
    }[];
  }
  interface FastifyContextConfig {
    /** Routes that answer without a session or an API key. */
    public?: boolean;
    /**
     * A GET that changes state (kept for WGDashboard scripts with an API key): refused with 405
     * to a cookie session, which must POST it.
     */
    getChangesState?: boolean;
  }
}

export const SESSION_COOKIE = 'wgfleet_session';
export const API_KEY_HEADER = 'wg-dashboard-apikey';

/** The token of an `Authorization: Bearer <token>` header (case-insensitive scheme). */
function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1];
}

/**
 * Reads the credentials a request carries. An API key comes in the `wg-dashboard-apikey` header
 * (WGDashboard's) or as `Authorization: Bearer <key>` (what Prometheus and most tools can send).
 */
export function credentialsOf(req: FastifyRequest) {
  const header = req.headers[API_KEY_HEADER];
  return {
    apiKey: (Array.isArray(header) ? header[0] : header) ?? bearerToken(req.headers.authorization),
    session: req.cookies[SESSION_COOKIE],
  };
}

/** The signed-in caller of a route that is not public (the hook set it). */
export function who(req: { principal: Principal | null }): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

/** Whose subscribers the caller may touch: a reseller (`own` access) only its own; else all. */
export function scopeOf(req: {
  principal: Principal | null;
  access: 'all' | 'own';
}): { readonly owner: number } | null {
  return req.access === 'own' ? { owner: who(req).userId } : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route needs a session cookie or an API key unless its config says `public: true`; then
 * its rule (route-rules.ts) decides the principal's role: a role without the capability gets 403
 * naming it, before the handler runs (so nothing changes). A
 * state-changing request that the session cookie would authenticate (a cookie, no API key) is
 * refused (403) when it comes from another site (see crossSiteReason), public routes included
 * (sign-out); a `getChangesState` GET is refused (405) to a cookie session.
 */
export function registerAuthHook(app: FastifyInstance, auth: AuthService, now: () => Date): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('access', 'all');
  app.addHook('onRequest', async (req) => {
    const creds = credentialsOf(req);
    const byCookie = creds.apiKey === undefined && creds.session !== undefined;
    if (byCookie && !SAFE_METHODS.has(req.method)) {
      const why = crossSiteReason(req);
      if (why) throw forbidden(`cross-site request refused (${why})`);
    }
    if (req.routeOptions.config.public) return;
    req.principal = await auth.authenticate(creds, now());
    if (!req.principal) throw unauthorized();
    // An unknown path (the not-found handler) has no rule: signed in is enough to hear 404.
    const url = req.routeOptions.url;
    const rule = url === undefined ? { signedIn: true as const } : ruleOf(req.method, url);
    if (!rule) throw forbidden(`no access rule for ${req.method} ${url}`);
    const decision = decideAccess(req.principal.role, rule);
    if (decision.allowed === false)
      throw forbidden(`your role (${req.principal.role}) lacks ${decision.lacks}`);
    req.access = decision.allowed;
    if (
      req.principal.kind === 'session' &&
      req.method === 'GET' &&
      req.routeOptions.config.getChangesState
    )
      throw methodNotAllowed('this call changes state: send it as POST (GET is kept for API keys)');
  });
}
