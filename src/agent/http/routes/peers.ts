import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody, Ok, PeerPath, PeerPut } from '../../../shared/wire/agent-api.js';
import { deletePeer, putPeer } from '../../app/peers.js';
import type { AgentDeps } from '../../app/ports.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 502: ErrorBody };

/** Peers: add or replace, remove. Both idempotent; both also update the conf file. */
export const peerRoutes =
  (deps: AgentDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.put(
      '/v1/wg/:interface/peers/:public_key',
      {
        schema: {
          summary:
            'Add or replace a peer (full desired state: absent preshared key or keepalive means none)',
          params: PeerPath,
          body: PeerPut,
          response: { 200: Ok, ...errors },
        },
      },
      async (req) => {
        await putPeer(deps, req.params.interface, req.params.public_key, req.body);
        return { ok: true as const };
      },
    );
    app.delete(
      '/v1/wg/:interface/peers/:public_key',
      {
        schema: {
          summary: 'Remove a peer; a peer already gone is success',
          params: PeerPath,
          response: { 200: Ok, ...errors },
        },
      },
      async (req) => {
        await deletePeer(deps, req.params.interface, req.params.public_key);
        return { ok: true as const };
      },
    );
  };
