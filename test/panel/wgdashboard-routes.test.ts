import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

/** Every route of WGDashboard 4.3.0's src/dashboard.py (tag v4.3.0), in its order. */
const WGDASHBOARD_4_3_0 = [
  'GET /api/handshake',
  'GET /api/validateAuthentication',
  'GET /api/requireAuthentication',
  'POST /api/authenticate',
  'GET /api/signout',
  'GET /api/getWireguardConfigurations',
  'GET /api/newConfigurationTemplates',
  'GET /api/newConfigurationTemplates/createTemplate',
  'POST /api/newConfigurationTemplates/updateTemplate',
  'POST /api/newConfigurationTemplates/deleteTemplate',
  'POST /api/addWireguardConfiguration',
  'GET /api/toggleWireguardConfiguration',
  'POST /api/updateWireguardConfiguration',
  'POST /api/updateWireguardConfigurationInfo',
  'GET /api/getWireguardConfigurationRawFile',
  'POST /api/updateWireguardConfigurationRawFile',
  'POST /api/deleteWireguardConfiguration',
  'POST /api/renameWireguardConfiguration',
  'GET /api/getWireguardConfigurationRealtimeTraffic',
  'GET /api/getWireguardConfigurationBackup',
  'GET /api/getAllWireguardConfigurationBackup',
  'GET /api/createWireguardConfigurationBackup',
  'POST /api/deleteWireguardConfigurationBackup',
  'GET /api/downloadWireguardConfigurationBackup',
  'POST /api/restoreWireguardConfigurationBackup',
  'GET /api/getDashboardConfiguration',
  'POST /api/updateDashboardConfigurationItem',
  'GET /api/getDashboardAPIKeys',
  'POST /api/newDashboardAPIKey',
  'POST /api/deleteDashboardAPIKey',
  'POST /api/updatePeerSettings/<configName>',
  'POST /api/resetPeerData/<configName>',
  'POST /api/deletePeers/<configName>',
  'POST /api/restrictPeers/<configName>',
  'POST /api/sharePeer/create',
  'POST /api/sharePeer/update',
  'GET /api/sharePeer/get',
  'POST /api/allowAccessPeers/<configName>',
  'POST /api/addPeers/<configName>',
  'GET /api/downloadPeer/<configName>',
  'GET /api/downloadAllPeers/<configName>',
  'GET /api/getAvailableIPs/<configName>',
  'GET /api/getNumberOfAvailableIPs/<configName>',
  'GET /api/getWireguardConfigurationInfo',
  'GET /api/getPeerHistoricalEndpoints',
  'GET /api/getPeerSessions',
  'GET /api/getPeerTraffics',
  'GET /api/getDashboardTheme',
  'GET /api/getDashboardVersion',
  'POST /api/savePeerScheduleJob',
  'POST /api/deletePeerScheduleJob',
  'GET /api/getPeerScheduleJobLogs/<configName>',
  'GET /fileDownload',
  'GET /api/ping/getAllPeersIpAddress',
  'GET /api/ping/execute',
  'GET /api/traceroute/execute',
  'GET /api/getDashboardUpdate',
  'GET /api/isTotpEnabled',
  'GET /api/Welcome_GetTotpLink',
  'POST /api/Welcome_VerifyTotpLink',
  'POST /api/Welcome_Finish',
  'GET /api/locale',
  'GET /api/locale/available',
  'POST /api/locale/update',
  'GET /api/email/ready',
  'POST /api/email/send',
  'POST /api/email/preview',
  'GET /api/systemStatus',
  'GET /api/protocolsEnabled',
  'GET /api/oidc/toggle',
  'GET /api/oidc/status',
  'GET /api/clients/toggleStatus',
  'GET /api/clients/allClients',
  'GET /api/clients/allClientsRaw',
  'POST /api/clients/assignClient',
  'POST /api/clients/unassignClient',
  'GET /api/clients/assignedClients',
  'GET /api/clients/allConfigurationsPeers',
  'GET /api/clients/assignedPeers',
  'POST /api/clients/generatePasswordResetLink',
  'POST /api/clients/updateProfileName',
  'POST /api/clients/deleteClient',
  'GET /api/webHooks/getWebHooks',
  'GET /api/webHooks/createWebHook',
  'POST /api/webHooks/updateWebHook',
  'POST /api/webHooks/deleteWebHook',
  'GET /api/webHooks/getWebHookSessions',
  'GET /',
];

interface Row {
  readonly wgd: string;
  readonly wgfleet: readonly string[];
  readonly status: string;
  readonly notes: string;
}

/** The rows of docs/WGDASHBOARD.md's table. */
function readTable(): Row[] {
  const text = readFileSync(new URL('../../docs/WGDASHBOARD.md', import.meta.url), 'utf8');
  const routes = (cell: string) => [...cell.matchAll(/`([A-Z]+ [^`]+)`/g)].map((m) => m[1]!);
  return text
    .split('\n')
    .filter((l) => /^\| `(GET|POST) \//.test(l))
    .map((l) => {
      const [wgd, wgfleet, status, notes] = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return { wgd: routes(wgd!)[0]!, wgfleet: routes(wgfleet!), status: status!, notes: notes! };
    });
}

/** `POST /api/addPeers/<configName>` → `POST /api/addPeers/:configName` (Fastify's spelling). */
const fastifyPath = (route: string) => route.replace(/<([A-Za-z]+)>/g, ':$1');

describe('docs/WGDASHBOARD.md: every WGDashboard 4.3.0 route and what the panel does with it', () => {
  const get = usePanel(sqlite);
  const rows = readTable();

  it('lists each route of dashboard.py exactly once, in its order, with a status and a note', () => {
    expect(rows.map((r) => r.wgd)).toEqual(WGDASHBOARD_4_3_0);
    for (const r of rows) {
      expect(['same', 'mapped', 'not offered'], r.wgd).toContain(r.status);
      expect(r.notes.length, `${r.wgd} says why`).toBeGreaterThan(3);
    }
  });

  it('the panel serves every route a row names, and "same" is the same method and path', () => {
    const served = new Set(get().panel.app.routeTable.map((r) => `${r.method} ${r.url}`));
    for (const r of rows) {
      if (r.status !== 'not offered') expect(r.wgfleet.length, r.wgd).toBeGreaterThan(0);
      if (r.status === 'same') expect(r.wgfleet, r.wgd).toEqual([fastifyPath(r.wgd)]);
      for (const route of r.wgfleet) expect(served, `${r.wgd} → ${route}`).toContain(route);
    }
  });
});
