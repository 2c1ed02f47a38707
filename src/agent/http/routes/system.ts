import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../../shared/wire/agent-api.js';
import { SystemStatus } from '../../../shared/wire/agent-system.js';
import type { SystemReader } from '../../sys/system-reader.js';

/** `GET /v1/system`: the node's load, CPU, memory, disks, network counters and uptime. */
export const systemRoutes =
  (reader: SystemReader): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/v1/system',
      {
        schema: {
          summary:
            'Load, CPU, memory, swap, disks, network counters and uptime of the node (no process list)',
          response: { 200: SystemStatus, 401: ErrorBody },
        },
      },
      async () => reader.read(),
    );
  };
