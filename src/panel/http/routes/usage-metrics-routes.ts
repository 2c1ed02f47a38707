import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { FailureBody } from '../envelope.js';

export interface UsageMetricsRoutesDeps {
  readonly registry: Registry;
  /** The per-peer families' text, written after the registry's; null: none. */
  readonly peerSeries: (() => Promise<Iterable<string>>) | null;
}

/**
 * `GET /metrics`: the panel's Prometheus registry (poll metrics of the fleet area, usage metrics
 * of this area) in the text format. Behind the normal auth: an API key, as the
 * `wg-dashboard-apikey` header or `Authorization: Bearer <key>` (Prometheus' `authorization`
 * or `bearer_token_file` in the scrape job). The per-peer families follow the registry's text as
 * a stream (piece by piece, as the client reads), so a scrape of 100,000 peers never holds the
 * whole text; both parts are read before the first byte is sent.
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
        const [head, peers] = await Promise.all([
          deps.registry.metrics(),
          deps.peerSeries ? deps.peerSeries() : null,
        ]);
        reply.header('content-type', deps.registry.contentType);
        if (!peers) return reply.send(head);
        function* body() {
          yield head;
          yield* peers as Iterable<string>;
        }
        // One piece buffered at most: backpressure reaches the generator.
        return reply.send(Readable.from(body(), { objectMode: true, highWaterMark: 1 }));
      },
    );
  };
