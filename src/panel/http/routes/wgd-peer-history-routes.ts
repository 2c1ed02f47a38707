import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  numberOfAvailableIps,
  peerEndpoints,
  peerSessions,
  type PeerHistoryDeps,
} from '../../app/wgdashboard/peer-history.js';
import { ConfigNameParams } from '../../../shared/wire/panel-api.js';
import {
  NumberOfAvailableIps,
  PeerEndpointsJson,
  PeerOfConfigurationQuery,
  PeerSessions,
  PeerSessionsQuery,
} from '../../../shared/wire/panel/wgdashboard.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

const fail = { 400: FailureBody, 401: FailureBody, 404: FailureBody };

/** WGDashboard 4.3's getNumberOfAvailableIPs, getPeerSessions, getPeerHistoricalEndpoints. */
export const wgdPeerHistoryRoutes =
  (deps: PeerHistoryDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['peers'];

    app.get(
      '/api/getNumberOfAvailableIPs/:configName',
      {
        schema: {
          tags,
          summary: 'How many addresses are free in each interface address (`{"10.8.0.1/24": 251}`)',
          params: ConfigNameParams,
          response: { 200: Envelope(NumberOfAvailableIps), ...fail },
        },
      },
      // bigint counts (an IPv6 /64 holds 2^64): the serializer writes them as exact integers.
      async (req) =>
        ok(
          (await numberOfAvailableIps(deps.store, req.params.configName)) as unknown as Record<
            string,
            number
          >,
        ),
    );

    app.get(
      '/api/getPeerSessions',
      {
        schema: {
          tags,
          summary:
            'The minutes a peer moved traffic, over whole UTC days (`startDate`, `endDate`: YYYY-MM-DD; none = today)',
          querystring: PeerSessionsQuery,
          response: { 200: Envelope(PeerSessions), ...fail },
        },
      },
      async (req) => ok(await peerSessions(deps, req.query)),
    );

    app.get(
      '/api/getPeerHistoricalEndpoints',
      {
        schema: {
          tags,
          summary:
            'Where a peer connected from: its last endpoint seen (the panel keeps no longer history); no geolocation',
          querystring: PeerOfConfigurationQuery,
          response: { 200: Envelope(PeerEndpointsJson), ...fail },
        },
      },
      async (req) =>
        ok(
          await peerEndpoints(deps, req.query.configurationName, req.query.id),
          'geolocation is not looked up: the panel does not send peer addresses to outside services',
        ),
    );
  };
