import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Health } from '../../../shared/wire/agent-api.js';

/** `GET /v1/health`: liveness and version, without auth. */
export const healthRoutes =
  (version: string): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/v1/health',
      {
        schema: {
          summary: 'Liveness and version (no auth)',
          security: [],
          response: { 200: Health },
        },
      },
      async () => ({ status: 'ok' as const, version }),
    );
  };
