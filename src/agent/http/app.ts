import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { AgentDeps } from '../app/ports.js';
import {
  capConnections,
  fastifyServerOptions,
  nodeServerOptions,
  type HttpLimits,
} from '../../shared/http-limits.js';
import { createBearerCheck } from './auth.js';
import { errorHandler, frameworkErrors } from './errors.js';
import type { AgentMetrics } from './metrics.js';
import { allowanceRoutes } from './routes/allowances.js';
import { agentOpenapi, PUBLIC_ROUTES } from './openapi.js';
import { healthRoutes } from './routes/health.js';
import { interfaceRoutes } from './routes/interfaces.js';
import { metricsRoutes } from './routes/metrics.js';
import { peerRoutes } from './routes/peers.js';
import { systemRoutes } from './routes/system.js';
import { confRoutes } from './routes/conf.js';
import { SystemReader } from '../sys/system-reader.js';

export const BODY_LIMIT = 64 * 1024;

export interface AgentAppOptions {
  readonly deps: AgentDeps;
  readonly token: string;
  readonly version: string;
  readonly metrics: AgentMetrics;
  readonly logger: Logger;
  /** TLS key and certificate; plain HTTP when absent (loopback only, checked by the config). */
  readonly https?: { key: string; cert: string };
  /** Timeouts and connection cap of the server; Node's and Fastify's defaults when absent. */
  readonly http?: HttpLimits;
  /** Reads the node's status for `GET /v1/system`; the host's /proc when absent. */
  readonly system?: SystemReader;
}

/** Authenticated calls that are not the panel's (a Prometheus scraper): they do not say it is there. */
const NOT_THE_PANEL = new Set(['/v1/metrics', '/v1/openapi.json']);

/** Builds the agent's Fastify instance. Does not listen: main.ts does. */
export async function buildAgentApp(opts: AgentAppOptions) {
  const common = {
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Strict bodies: an unknown field or a wrong type is an error, not silently dropped or coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // A path the router refuses (a parameter too long, a malformed URL) gets the agent's shape.
    frameworkErrors,
    ...(opts.http && fastifyServerOptions(opts.http)),
  };
  const server = opts.http ? nodeServerOptions(opts.http) : {};
  // Both variants expose the same API; the cast only erases the server type parameter.
  const base = (opts.https
    ? Fastify({ ...common, https: { ...server, ...opts.https } })
    : Fastify({ ...common, http: server })) as unknown as FastifyInstance;
  if (opts.http) capConnections(base.server, opts.http);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, agentOpenapi(opts.version));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_req, reply) =>
    reply.status(404).send({ error: 'not_found', message: 'no such route' }),
  );

  const authorized = createBearerCheck(opts.token);
  app.addHook('onRequest', async (req, reply) => {
    if (PUBLIC_ROUTES.has(req.routeOptions.url ?? '')) return;
    if (!authorized(req.headers.authorization)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'missing or wrong bearer token' });
    }
    if (!NOT_THE_PANEL.has(req.routeOptions.url ?? ''))
      opts.deps.ledger?.enforcer.heard(Date.now());
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    opts.metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    opts.metrics.latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(healthRoutes(opts.version));
  await app.register(interfaceRoutes(opts.deps));
  await app.register(peerRoutes(opts.deps));
  await app.register(confRoutes(opts.deps));
  if (opts.deps.ledger) await app.register(allowanceRoutes(opts.deps, opts.deps.ledger));
  await app.register(metricsRoutes(opts.deps, opts.metrics));
  await app.register(systemRoutes(opts.system ?? new SystemReader()));
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
