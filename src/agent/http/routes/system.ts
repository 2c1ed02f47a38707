import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AgentSystem, ErrorBody } from '../../../shared/wire/agent-api.js';
import { readSystemStatus } from '../../sys/system-status.js';

/** `GET /v1/system`: load, memory, disk, uptime and the agent's version (needs the token). */
export const systemRoutes =
  (version: string): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/v1/system',
      {
        schema: {
          summary: 'System status of the node: load, memory, root disk, uptime, agent version',
          response: { 200: AgentSystem, 401: ErrorBody },
        },
      },
      async () => readSystemStatus(version, (p) => readFile(p, 'utf8')),
    );
  };
