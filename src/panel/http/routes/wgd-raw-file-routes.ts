import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { configurationNamed } from '../../app/wgdashboard/configuration-edits.js';
import { rawFile, updateRawFile, type RawFileDeps } from '../../app/wgdashboard/raw-file.js';
import type { RealtimeTraffic } from '../../app/wgdashboard/realtime-traffic.js';
import {
  ConfigurationNameQuery,
  RawFileJson,
  RealtimeTrafficJson,
  UpdateRawFileBody,
} from '../../../shared/wire/panel/wgdashboard.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface WgdRawFileRoutesDeps {
  readonly raw: RawFileDeps;
  readonly realtime: (configurationId: number) => RealtimeTraffic;
}

const fail = {
  400: FailureBody,
  401: FailureBody,
  403: FailureBody,
  404: FailureBody,
  409: FailureBody,
  413: FailureBody,
  502: FailureBody,
};

/** WGDashboard 4.3's raw configuration file (read, replace) and realtime traffic. */
export const wgdRawFileRoutes =
  (deps: WgdRawFileRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['configurations'];

    app.get(
      '/api/getWireguardConfigurationRawFile',
      {
        schema: {
          tags,
          summary:
            'The interface’s wg-quick file as its node keeps it; the PrivateKey and PresharedKey lines are comments (they never leave the node)',
          querystring: ConfigurationNameQuery,
          response: { 200: Envelope(RawFileJson), ...fail },
        },
      },
      // The file names every peer's address; no cache may keep it.
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return ok(await rawFile(deps.raw, req.query.configurationName));
      },
    );

    app.post(
      '/api/updateWireguardConfigurationRawFile',
      {
        schema: {
          tags,
          summary:
            'Replace the file: [Interface] Address/ListenPort/MTU/PostUp/PostDown go to the node, the [Peer] set becomes the configuration’s peers (usage kept); a bad file changes nothing and the message names its line',
          body: UpdateRawFileBody,
          response: { 200: Envelope(Type.Null()), ...fail },
        },
      },
      async (req) =>
        ok(
          null,
          await updateRawFile(deps.raw, req.body.configurationName, req.body.rawConfiguration),
        ),
    );

    app.get(
      '/api/getWireguardConfigurationRealtimeTraffic',
      {
        schema: {
          tags,
          summary:
            'Traffic of the interface between its two latest polls, in MiB/s (`{sent, recv}`; zeros before two polls)',
          querystring: ConfigurationNameQuery,
          response: { 200: Envelope(RealtimeTrafficJson), ...fail },
        },
      },
      async (req) => {
        const c = await configurationNamed(deps.raw, req.query.configurationName);
        return ok(deps.realtime(c.id));
      },
    );
  };
