import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { liveDumps } from '../../app/interfaces.js';
import type { AgentDeps } from '../../app/ports.js';
import { friendlyNames } from '../../wg/friendly-names.js';
import type { AgentMetrics } from '../metrics.js';

/** `GET /v1/metrics`: Prometheus text, WireGuard series read fresh at each scrape. */
export const metricsRoutes =
  (deps: AgentDeps, metrics: AgentMetrics): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/v1/metrics',
      {
        schema: {
          summary: 'Prometheus metrics (text exposition format)',
          response: {
            200: {
              description: 'The exposition',
              content: { 'text/plain': { schema: Type.String() } },
            },
          },
        },
      },
      async (_req, reply) => {
        const dumps = await liveDumps(deps);
        const names = new Map<string, Map<string, string>>();
        for (const d of dumps) {
          const conf = await deps.confs.read(d.interface.name);
          if (conf !== null) names.set(d.interface.name, friendlyNames(conf));
        }
        metrics.setDumps(dumps, names);
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    );
  };
