import type { FastifyPluginAsync } from 'fastify';
import { dumpInterface, listInterfaces } from '../../app/interfaces.js';
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
        const up = (await listInterfaces(deps)).filter((i) => i.up);
        metrics.setDumps(await Promise.all(up.map((i) => dumpInterface(deps, i.name))));
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    );
  };
