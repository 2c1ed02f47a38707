import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { PeerEventsJson, PeerEventsQuery } from '../../../shared/wire/panel-api.js';
import { PEER_EVENT_TYPES, type PeerEventType } from '../../domain/vocabulary.js';
import { invalidInput } from '../../app/errors.js';
import type { EventReader } from '../../app/events/event-query.js';
import type { PeerDirectory } from '../../app/usage/ports.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import { optionalDate, resolveScope } from './usage-query.js';

export interface UsageEventsRoutesDeps {
  readonly events: EventReader;
  readonly directory: PeerDirectory;
}

/** `GET /api/getPeerEvents`: stored policy events, filtered, newest first, paged. */
export const usageEventsRoutes =
  (deps: UsageEventsRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/getPeerEvents',
      {
        schema: {
          tags: ['usage'],
          summary: `Peer events (${PEER_EVENT_TYPES.join(', ')})`,
          querystring: PeerEventsQuery,
          response: {
            200: Envelope(PeerEventsJson),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req) => {
        const q = req.query;
        if (q.id !== undefined && q.configurationName === undefined)
          throw invalidInput('configurationName', 'is required with id');
        const types = q.type
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        const bad = types?.find((t) => !(PEER_EVENT_TYPES as readonly string[]).includes(t));
        if (bad !== undefined)
          throw invalidInput('type', `"${bad}" is not one of ${PEER_EVENT_TYPES.join(', ')}`);
        const scope =
          q.configurationName === undefined
            ? {}
            : await resolveScope(deps.directory, q.configurationName, q.id);
        const limit = q.limit ?? 100;
        const offset = q.offset ?? 0;
        const from = optionalDate(q.from, 'from');
        const to = optionalDate(q.to, 'to');
        const { events, total } = await deps.events.find({
          ...scope,
          ...(types && { types: types as PeerEventType[] }),
          ...(from && { from }),
          ...(to && { to }),
          limit,
          offset,
        });
        return ok({
          events: events.map((e) => ({
            id: e.id,
            type: e.type,
            configuration: e.configurationName,
            peer_id: e.peerPublicKey,
            peer_name: e.peerName,
            node_id: e.nodeId,
            message: e.message,
            data: e.values,
            created_at: e.createdAt.toISOString(),
          })),
          total,
          limit,
          offset,
        });
      },
    );
  };
