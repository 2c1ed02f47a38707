import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export interface HealthRoutesDeps {
  /** Resolves when the database answers; rejects (with the reason) when it does not. */
  readonly databaseReady: () => Promise<void>;
}

const Probe = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
});

/**
 * Probes for load balancers and orchestrators, without auth and without the envelope:
 * `GET /healthz` says the process serves HTTP; `GET /readyz` says the database answers too
 * (503 otherwise). The reason of a failure goes to the log, not to the unauthenticated caller.
 */
export const healthRoutes =
  (deps: HealthRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const common = { tags: ['health'], security: [] };
    app.get(
      '/healthz',
      {
        config: { public: true },
        schema: {
          ...common,
          operationId: 'healthz',
          summary: 'Liveness: the panel process answers HTTP (no auth)',
          response: { 200: Probe },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        config: { public: true },
        schema: {
          ...common,
          operationId: 'readyz',
          summary: 'Readiness: the panel answers and its database does (503 when not; no auth)',
          response: { 200: Probe, 503: Probe },
        },
      },
      async (req, reply) => {
        try {
          await deps.databaseReady();
          return { status: 'ok' as const };
        } catch (err) {
          req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'not ready');
          return reply.status(503).send({ status: 'unavailable' as const });
        }
      },
    );
  };
