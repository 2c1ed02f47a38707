import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { FailureBody } from '../envelope.js';

export interface UsageMetricsRoutesDeps {
  readonly registry: Registry;
}

/**
 * `GET /metrics`: the panel's Prometheus registry (poll metrics of the fleet area, usage metrics
 * of this area) in the text format. Behind the normal auth: an API key, as the
 * `wg-dashboard-apikey` header or `Authorization: Bearer <key>` (Prometheus' `authorization`
 * or `bearer_token_file` in the scrape job).
 */
export const usageMetricsRoutes =
  (deps: UsageMetricsRoutesDeps): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['usage'],
          summary: 'Prometheus metrics (text format)',
          response: {
            200: {
              description: 'The exposition',
              content: { 'text/plain': { schema: Type.String() } },
            },
            401: FailureBody,
          },
        },
      },
      async (_req, reply) => {
        const body = await deps.registry.metrics();
        return reply.header('content-type', deps.registry.contentType).send(body);
      },
    );
  };
