import { describe, expect, it } from 'vitest';
import { PANEL_ROUTES } from '../../src/shared/wire/panel-api.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;
/** Routes that answer something else than a JSON envelope (the web links to them). */
const NOT_ENVELOPES = [
  'GET /api/downloadPeerQRCode/:configName',
  'GET /api/exportUsageCsv',
  'GET /api/exportAuditCsv',
];
/** The toggle's GET is WGDashboard's, for scripts with an API key; the web POSTs it. */
const NOT_FOR_THE_WEB = ['GET /api/toggleWireguardConfiguration'];

describe("the web's route table (src/shared/wire/panel/routes.ts)", () => {
  const get = usePanel(sqlite);

  it('names every envelope route the panel serves, with its method and path', () => {
    const served = get()
      .panel.app.routeTable.filter((r) => !r.hidden && r.url.startsWith('/api/'))
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !NOT_ENVELOPES.includes(r) && !NOT_FOR_THE_WEB.includes(r))
      .sort();
    const table = Object.entries(PANEL_ROUTES)
      .map(([action, r]) => `${r.method} /api/${action}${r.config ? '/:configName' : ''}`)
      .sort();
    expect(table).toEqual(served);
  });
});
