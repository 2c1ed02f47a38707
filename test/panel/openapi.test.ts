import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

// One dialect is enough: the document depends on the routes, not on the database.
const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('the panel OpenAPI document', () => {
  const get = usePanel(sqlite);

  it('describes exactly the routes the panel serves (but the UI files), each with its responses', async () => {
    const { panel, headers } = get();
    const doc = (await panel.app.inject({ url: '/api/openapi.json', headers })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    // Fastify writes `:param`, OpenAPI `{param}`.
    const served = panel.app.routeTable
      .filter((r) => !r.hidden)
      .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    expect(served.length).toBeGreaterThan(30);
    const without200 = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !Object.keys(op.responses ?? {}).includes('200'))
        .map(([method]) => `${method} ${path}`),
    );
    expect(without200).toEqual([]);
  });
});
