import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { systemStatus, type SystemNodes } from '../../app/wgdashboard/system-status.js';
import { SystemStatusJson, SystemStatusQuery } from '../../../shared/wire/panel/wgdashboard.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

/** WGDashboard 4.3's systemStatus, of a node's host, read by its agent. */
export const wgdSystemRoutes =
  (nodes: SystemNodes): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/systemStatus',
      {
        schema: {
          tags: ['nodes'],
          summary:
            'CPU, memory, disks and network of a node’s host, in WGDashboard 4.3’s shape (`node`: which; may be left out with one node)',
          querystring: SystemStatusQuery,
          response: {
            200: Envelope(SystemStatusJson),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
            502: FailureBody,
          },
        },
      },
      async (req) => ok(await systemStatus(nodes, req.query.node)),
    );
  };
