import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { allowPeers, deletePeers, restrictPeers } from '../../app/peers/peer-access.js';
import { PeersBody } from '../../../shared/wire/panel-api.js';
import { Envelope, ok } from '../envelope.js';
import { ConfigNameParams, PEER_FAILURES, type PeersRouteDeps } from './peers-route-deps.js';

const Result = Envelope(Type.Null());

/** deletePeers, restrictPeers, allowAccessPeers: lists of public keys, all or nothing. */
export const peersAccessRoutes =
  (deps: PeersRouteDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const schema = (summary: string, description: string) => ({
      tags: ['peers'],
      summary,
      description,
      params: ConfigNameParams,
      body: PeersBody,
      response: { 200: Result, ...PEER_FAILURES },
    });

    app.post(
      '/api/deletePeers/:configName',
      {
        schema: schema(
          'Delete peers (and their usage history); removes them from the node',
          'Unknown keys: 404 naming them, nothing deleted.',
        ),
      },
      async (req) => {
        const r = await deletePeers(deps, req.params.configName, req.body.peers);
        return ok(null, r.message ?? `${r.count} peer(s) deleted`);
      },
    );

    app.post(
      '/api/restrictPeers/:configName',
      {
        schema: schema(
          'Restrict peers by hand: kept (address, usage) but removed from WireGuard',
          'Reason `manual`, which policy never lifts. Unknown keys: 404 naming them, nothing changed.',
        ),
      },
      async (req) => {
        const r = await restrictPeers(deps, req.params.configName, req.body.peers);
        return ok(null, r.message ?? `${r.count} peer(s) restricted`);
      },
    );

    app.post(
      '/api/allowAccessPeers/:configName',
      {
        schema: schema(
          'Give restricted peers access again',
          'Refused (409, nothing changed) while a named peer is still over its traffic limit or expired.',
        ),
      },
      async (req) => {
        const r = await allowPeers(deps, req.params.configName, req.body.peers);
        return ok(null, r.message ?? `${r.count} peer(s) allowed`);
      },
    );
  };
