import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { AuthService } from '../app/auth/auth-service.js';
import { registerAuthHook } from './auth-hook.js';
import { panelErrorHandler } from './errors.js';
import { failure } from './envelope.js';

export interface PanelAppOptions {
  readonly auth: AuthService;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly version: string;
  /** The route plugins, one per API area; each registers its own paths. */
  readonly routes: readonly FastifyPluginAsync[];
  /** Trust X-Forwarded-* from a reverse proxy (for the client address and https). */
  readonly trustProxy?: boolean;
  readonly bodyLimit?: number;
}

/** Builds the panel's Fastify instance: envelope errors, auth, OpenAPI, the given routes. */
export async function buildPanelApp(opts: PanelAppOptions) {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    // allowUnionTypes: nullable fields are declared as type lists (`['string', 'null']`), since
    // coercion inside anyOf would turn a null into 0 or "" in the first branch.
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allowUnionTypes: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // No default reply serializer: it would take precedence over the routes' response schemas.
  // Each route declares its response, so fast-json-stringify writes it (bigint byte counts as
  // JSON integers) and drops any field the schema does not name: a secret added to a row by
  // mistake cannot leak into an answer.

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'wgfleet panel API',
        version: opts.version,
        description: 'WGDashboard-compatible API of the wgfleet panel',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'wg-dashboard-apikey' },
          session: { type: 'apiKey', in: 'cookie', name: 'wgfleet_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  app.setErrorHandler(panelErrorHandler);
  app.setNotFoundHandler((_req, reply) => reply.status(404).send(failure('no such endpoint')));
  registerAuthHook(app, opts.auth, opts.now);

  for (const routes of opts.routes) await app.register(routes);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

export type PanelApp = Awaited<ReturnType<typeof buildPanelApp>>;
