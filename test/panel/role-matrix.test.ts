import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/panel/domain/access.js';
import { ROLES, type Role } from '../../src/panel/domain/vocabulary.js';
import { ROUTE_RULES } from '../../src/panel/http/route-rules.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel, type PanelUnderTest } from './support/panel-under-test.js';

/** Rules for routes another branch registers (the audit log); not served here yet. */
const ELSEWHERE = new Set(['GET /api/getAuditLog', 'GET /api/exportAuditCsv']);

/** A URL for a route pattern: its parameters filled with names that exist nowhere. */
const urlOf = (pattern: string) =>
  pattern.replace(/:[a-zA-Z]+/g, 'nothing-here').replace(/\*$/, 'index.html');

/** Every table a forbidden call could touch, as text (API key use times left out). */
async function snapshot(p: PanelUnderTest): Promise<string> {
  const db = p.database.db;
  const tables = [
    'users',
    'reseller_limits',
    'nodes',
    'configurations',
    'peers',
    'subscribers',
    'settings',
    'webhooks',
    'peer_job_logs',
    'user_recovery_codes',
  ] as const;
  const out: unknown[] = [];
  for (const t of tables) out.push(t, await db.selectFrom(t).selectAll().execute());
  out.push(
    'api_keys',
    await db.selectFrom('api_keys').select(['id', 'name', 'user_id', 'expires_at']).execute(),
  );
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

describe.each(DIALECTS_UNDER_TEST)('every route against every role on $name', (dialect) => {
  const get = usePanel(dialect);

  /** A user of the role, signed in, with an API key of its own (the key acts as it). */
  async function keyOf(role: Role): Promise<Record<string, string>> {
    const p = get();
    if (role === 'admin') return p.headers;
    const username = `matrix-${role}`;
    const password = 'long-enough-password';
    const added = await p.panel.app.inject({
      method: 'POST',
      url: '/api/addUser',
      headers: p.headers,
      payload: { username, password, role },
    });
    expect(added.statusCode, added.body).toBe(200);
    const signIn = await p.panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: { username, password },
    });
    const cookie = signIn.cookies.find((c) => c.name === 'wgfleet_session');
    const made = await p.panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      cookies: { wgfleet_session: cookie?.value ?? '' },
      payload: { NeverExpire: true, name: `${role} key` },
    });
    expect(made.statusCode, made.body).toBe(200);
    return { 'wg-dashboard-apikey': (made.json() as { data: { Key: string } }).data.Key };
  }

  it('names a rule for every route the panel serves, and none for a route it does not', () => {
    const served = get().panel.app.routeTable.map((r) => `${r.method} ${r.url}`);
    const missing = served.filter((r) => !(r in ROUTE_RULES));
    expect(missing).toEqual([]);
    const stale = Object.keys(ROUTE_RULES).filter((r) => !served.includes(r) && !ELSEWHERE.has(r));
    expect(stale).toEqual([]);
  });

  it.each(ROLES)(
    'as %s: allowed routes answer, forbidden ones 403 naming the lack, changing nothing',
    async (role) => {
      const p = get();
      const headers = await keyOf(role);
      const routes = p.panel.app.routeTable.filter((r) => {
        const rule = ROUTE_RULES[`${r.method} ${r.url}`];
        return rule !== undefined && !('public' in rule);
      });
      expect(routes.length).toBeGreaterThan(80);
      const call = (method: string, url: string) =>
        p.panel.app.inject({
          method: method as 'GET' | 'POST',
          url: urlOf(url),
          headers,
          ...(method === 'POST' && { payload: {} }),
        });
      // Forbidden first, so that "nothing changed" compares against a quiet database.
      const before = await snapshot(p);
      let forbidden = 0;
      for (const r of routes) {
        const decision = decideAccess(role, ROUTE_RULES[`${r.method} ${r.url}`]!);
        if (decision.allowed !== false) continue;
        forbidden++;
        const res = await call(r.method, r.url);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
        expect(res.json()).toMatchObject({
          status: false,
          message: `your role (${role}) lacks ${decision.lacks}`,
        });
      }
      expect(await snapshot(p)).toBe(before);
      expect(forbidden > 0).toBe(role !== 'admin');
      for (const r of routes) {
        if (decideAccess(role, ROUTE_RULES[`${r.method} ${r.url}`]!).allowed === false) continue;
        const res = await call(r.method, r.url);
        expect([401, 403], `${r.method} ${r.url}: ${res.body}`).not.toContain(res.statusCode);
      }
    },
  );
});
