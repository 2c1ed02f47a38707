import type { FastifyPluginAsync } from 'fastify';
import { liveDumps } from '../../app/interfaces.js';
import type { AgentDeps } from '../../app/ports.js';
import type { AgentMetrics } from '../metrics.js';

/** `GET /v1/metrics`: Prometheus text, WireGuard series read fresh at each scrape. */
export const metricsRoutes =
  (deps: AgentDeps, metrics: AgentMetrics): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/v1/metrics',
      { schema: { summary: 'Prometheus metrics (text exposition format)' } },
      async (_req, reply) => {
        metrics.setDumps(await liveDumps(deps));
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    );
  };
