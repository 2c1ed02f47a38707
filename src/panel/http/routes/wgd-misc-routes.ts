import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notOffered } from '../../app/errors.js';
import { AnyBody } from '../../../shared/wire/panel/wgdashboard.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface WgdMiscRoutesDeps {
  /** wgfleet's own version (the answer's message of getDashboardVersion). */
  readonly version: string;
}

/** The WGDashboard API level wgfleet speaks, as 4.3's getDashboardVersion answers it. */
export const WGDASHBOARD_VERSION = 'v4.3';

const BACKUPS_INSTEAD =
  'wgfleet does not keep per-configuration backups: the panel database holds every configuration and peer (back it up with `wgfleet panel backup`, restore with `wgfleet panel restore`), and each node keeps its interfaces\u2019 wg-quick files in sync with it';

/** 4.3's backup routes: answered with status:false (501) saying what wgfleet does instead. */
const BACKUP_ROUTES = [
  ['GET', '/api/getWireguardConfigurationBackup'],
  ['GET', '/api/getAllWireguardConfigurationBackup'],
  ['GET', '/api/createWireguardConfigurationBackup'],
  ['POST', '/api/deleteWireguardConfigurationBackup'],
  ['GET', '/api/downloadWireguardConfigurationBackup'],
  ['POST', '/api/restoreWireguardConfigurationBackup'],
] as const;

/**
 * Small routes of WGDashboard 4.3 its scripts call before anything else (is sign-in needed,
 * which version, which protocols; is TOTP on: auth-routes.ts), and its backup routes, declined.
 */
export const wgdMiscRoutes =
  (deps: WgdMiscRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['wgdashboard'];

    app.get(
      '/api/requireAuthentication',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Whether the API needs sign-in: always true (no auth needed to ask)',
          response: { 200: Envelope(Type.Boolean()) },
        },
      },
      async () => ok(true),
    );

    app.get(
      '/api/getDashboardVersion',
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'The WGDashboard API level the panel speaks (`v4.3`); the message names wgfleet’s own version (no auth)',
          response: { 200: Envelope(Type.String()) },
        },
      },
      async () => ok(WGDASHBOARD_VERSION, `wgfleet ${deps.version}`),
    );

    app.get(
      '/api/protocolsEnabled',
      {
        schema: {
          tags,
          summary: 'Tunnel protocols the panel can make configurations of: `["wg"]`',
          response: { 200: Envelope(Type.Array(Type.String())), 401: FailureBody },
        },
      },
      async () => ok(['wg']),
    );

    for (const [method, url] of BACKUP_ROUTES)
      app.route({
        method,
        url,
        // Not in the OpenAPI document: it only ever answers 501 (see docs/WGDASHBOARD.md).
        schema: { hide: true, ...(method === 'POST' && { body: AnyBody }) },
        handler: async () => {
          throw notOffered(BACKUPS_INSTEAD);
        },
      });
  };
