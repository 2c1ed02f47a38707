import { describe, expect, it } from 'vitest';
import { isMutating, staleRules, unauditedRoutes } from '../../src/panel/http/audit/audit-rule.js';
import { AUDIT_RULES } from '../../src/panel/http/audit/audit-rules.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

// The rules depend on the routes, not on the database.
const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('every mutating route of the panel has an audit rule', () => {
  const get = usePanel(sqlite);

  it('the route table has no mutating route without a rule, and no rule without a route', () => {
    const table = get().panel.app.routeTable;
    const mutating = table.filter((r) => isMutating(r.method, r.getChangesState));
    expect(mutating.length).toBeGreaterThan(40);
    expect(mutating.some((r) => r.method === 'GET')).toBe(true); // toggleWireguardConfiguration
    expect(unauditedRoutes(table, AUDIT_RULES)).toEqual([]);
    expect(staleRules(table, AUDIT_RULES)).toEqual([]);
  });

  it('fails for a mutating route without a rule (a new POST, a GET that changes state)', () => {
    const table = [
      ...get().panel.app.routeTable,
      { method: 'POST', url: '/api/newThing', getChangesState: false },
      { method: 'GET', url: '/api/flipThing', getChangesState: true },
      { method: 'GET', url: '/api/readThing', getChangesState: false },
    ];
    expect(unauditedRoutes(table, AUDIT_RULES)).toEqual([
      'POST /api/newThing',
      'GET /api/flipThing',
    ]);
    const fewer = Object.fromEntries(
      Object.entries(AUDIT_RULES).filter(
        ([key]) => key !== 'POST /api/updatePeerSettings/:configName',
      ),
    );
    expect(unauditedRoutes(get().panel.app.routeTable, fewer)).toEqual([
      'POST /api/updatePeerSettings/:configName',
    ]);
  });
});
