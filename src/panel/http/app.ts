import cookie from '@fastify/cookie';
import { Ajv } from 'ajv';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
} from 'fastify';
import type { Logger } from 'pino';
import type { AuthService } from '../app/auth/auth-service.js';
import {
  capConnections,
  fastifyServerOptions,
  nodeServerOptions,
  type HttpLimits,
} from '../../shared/http-limits.js';
import type { AuditLog } from '../app/audit/audit-entry.js';
import type { AuditSnapshots } from '../app/audit/snapshots.js';
import { actorOfPrincipal } from './audit/actor-of.js';
import { registerAuditRecorder } from './audit/audit-recorder.js';
import type { AuditRules } from './audit/audit-rule.js';
import { AUDIT_RULES } from './audit/audit-rules.js';
import { credentialsOf, registerAuthHook } from './auth-hook.js';
import { panelErrorHandler, panelFrameworkErrors } from './errors.js';
import { failure } from './envelope.js';
import { panelOpenapi } from './openapi.js';
import { registerQueryKeyRepair } from './query-keys.js';
import { ruleOf } from './route-rules.js';

export interface PanelAppOptions {
  readonly auth: AuthService;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly version: string;
  /** The route plugins, one per API area; each registers its own paths. */
  readonly routes: readonly FastifyPluginAsync[];
  /** Trust X-Forwarded-* from a reverse proxy (for the client address and https). */
  readonly trustProxy?: boolean | readonly string[];
  readonly bodyLimit?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  readonly https?: { readonly key: string; readonly cert: string };
  /** Timeouts and connection cap of the server; Node's and Fastify's defaults when absent. */
  readonly http?: HttpLimits;
  /** Where the audit recorder writes and reads state (absent: nothing is audited). */
  readonly audit?: {
    readonly log: AuditLog;
    readonly snapshots: AuditSnapshots;
    /** The rules (default AUDIT_RULES; tests give others). */
    readonly rules?: AuditRules;
  };
}

/**
 * Request validation. JSON bodies are checked as sent: no type coercion (which would turn a
 * `null` into `0` in the first branch of a nullable union, or `"5"` into 5) and no dropping of
 * unknown fields. Query strings and paths are text, so they are coerced to the declared types.
 */
const requestValidators = () => ({
  body: new Ajv({
    coerceTypes: false,
    useDefaults: true,
    removeAdditional: false,
    allowUnionTypes: true,
    strict: false,
  }),
  text: new Ajv({
    coerceTypes: 'array',
    useDefaults: true,
    removeAdditional: false,
    allowUnionTypes: true,
    strict: false,
  }),
});

/** Builds the panel's Fastify instance: envelope errors, auth, OpenAPI, the given routes. */
export async function buildPanelApp(opts: PanelAppOptions) {
  const common = {
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: (Array.isArray(opts.trustProxy)
      ? opts.trustProxy.join(',')
      : (opts.trustProxy ?? false)) as string | boolean,
    // A path the router refuses (a parameter too long, a malformed URL) gets the envelope too.
    frameworkErrors: panelFrameworkErrors,
    ...(opts.http && fastifyServerOptions(opts.http)),
  };
  const server = opts.http ? nodeServerOptions(opts.http) : {};
  // One type for both: the HTTPS server differs only in how it listens.
  const base = (opts.https
    ? Fastify({ ...common, https: { ...server, key: opts.https.key, cert: opts.https.cert } })
    : Fastify({ ...common, http: server })) as unknown as FastifyInstance;
  if (opts.http) capConnections(base.server, opts.http);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // HTTPS (served here, or by a trusted proxy): browsers keep to it for a year. The session
  // cookie is Secure on such requests (auth routes).
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  });
  const validators = requestValidators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? validators.body : validators.text).compile(schema),
  );
  // No default reply serializer: it would take precedence over the routes' response schemas.
  // Each route declares its response, so fast-json-stringify writes it (bigint byte counts as
  // JSON integers) and drops any field the schema does not name: a secret added to a row by
  // mistake cannot leak into an answer.

  await app.register(cookie);
  await app.register(swagger, panelOpenapi(opts.version));
  app.setErrorHandler(panelErrorHandler);
  app.setNotFoundHandler((_req, reply) => reply.status(404).send(failure('no such endpoint')));
  registerAuthHook(app, opts.auth, opts.now);
  if (opts.audit)
    registerAuditRecorder(app, {
      rules: opts.audit.rules ?? AUDIT_RULES,
      log: opts.audit.log,
      snapshots: opts.audit.snapshots,
      now: opts.now,
      identify: async (req) =>
        actorOfPrincipal(await opts.auth.authenticate(credentialsOf(req), opts.now())),
    });
  registerQueryKeyRepair(app);

  // Every route, as registered: the OpenAPI test checks the document against this table.
  const routeTable: {
    method: string;
    url: string;
    hidden: boolean;
    getChangesState: boolean;
    public: boolean;
  }[] = [];
  app.addHook('onRoute', (r) => {
    const config = (r.config ?? {}) as { getChangesState?: boolean; public?: boolean };
    for (const method of [r.method].flat())
      if (method !== 'HEAD') {
        // Every route says who may call it (route-rules.ts): one without a rule is a bug.
        const rule = ruleOf(method, r.url);
        if (!rule)
          throw new Error(`${method} ${r.url} has no access rule (src/panel/http/route-rules.ts)`);
        if ('public' in rule !== (config.public === true))
          throw new Error(`${method} ${r.url}: its access rule and its config.public disagree`);
        routeTable.push({
          method,
          url: r.url,
          hidden: r.schema?.hide === true,
          getChangesState: config.getChangesState === true,
          public: config.public === true,
        });
      }
  });
  app.decorate('routeTable', routeTable);
  for (const routes of opts.routes) await app.register(routes);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

export type PanelApp = Awaited<ReturnType<typeof buildPanelApp>>;
