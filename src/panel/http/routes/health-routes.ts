import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export interface HealthRoutesDeps {
  /** Resolves when the database answers; rejects (with the reason) when it does not. */
  readonly databaseReady: () => Promise<void>;
  /** This panel in the cluster: its id, the node leases it holds, whether it runs the jobs. */
  readonly cluster: () => {
    readonly panel: string;
    readonly leases: number;
    readonly jobs: boolean;
  };
}

const Status = Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]);
const Probe = Type.Object({ status: Status });
const Readiness = Type.Object({
  status: Status,
  /** `ok` when the database answered, `unavailable` when it did not. */
  database: Status,
  /** This panel process's id in the cluster (cluster_panels). */
  panel: Type.String(),
  /** Node leases this panel holds (it polls those nodes). */
  leases: Type.Integer({ minimum: 0 }),
  /** True when this panel runs the cluster's time-driven work (the job lease). */
  jobs: Type.Boolean(),
});

/**
 * Probes for load balancers and orchestrators, without auth and without the envelope:
 * `GET /healthz` says the process serves HTTP; `GET /readyz` says the database answers too
 * (503 otherwise), as JSON with the database's state and this panel's leases. The reason of a failure goes to the log, not to the unauthenticated caller.
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
          summary:
            'Readiness: the panel answers and its database does (503 when not; no auth), with the node leases it holds',
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (req, reply) => {
        const cluster = deps.cluster();
        try {
          await deps.databaseReady();
          return { status: 'ok' as const, database: 'ok' as const, ...cluster };
        } catch (err) {
          req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'not ready');
          const down = 'unavailable' as const;
          return reply.status(503).send({ status: down, database: down, ...cluster });
        }
      },
    );
  };
