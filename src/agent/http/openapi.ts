import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { ErrorBody } from '../../shared/wire/agent-api.js';

/** Each operation's name in generated clients (the seed's names where it has them). */
const OPERATION_IDS: Record<string, string> = {
  'GET /v1/health': 'health',
  'GET /v1/system': 'systemStatus',
  'GET /v1/wg': 'listInterfaces',
  'POST /v1/wg': 'createInterface',
  'GET /v1/wg/:interface/dump': 'dumpInterface',
  'POST /v1/wg/:interface/up': 'upInterface',
  'POST /v1/wg/:interface/down': 'downInterface',
  'DELETE /v1/wg/:interface': 'deleteInterface',
  'PUT /v1/wg/:interface/peers/:public_key': 'putPeer',
  'DELETE /v1/wg/:interface/peers/:public_key': 'deletePeer',
  'GET /v1/metrics': 'metrics',
  'GET /v1/wg/:interface/conf': 'readInterfaceConf',
  'PATCH /v1/wg/:interface': 'updateInterface',
};

/** Routes that need no token (health probes, the document itself). */
export const PUBLIC_ROUTES = new Set(['/v1/health', '/v1/openapi.json']);

/** The agent's OpenAPI document: bearer auth but on public routes, names, 414 on long paths. */
export function agentOpenapi(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'wgfleet agent API',
        version,
        description: 'The node agent of wgfleet: WireGuard interfaces and peers of one node',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: '/', description: 'This agent' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: ({ schema, url, route }) => {
      const method = [route.method].flat()[0] ?? 'GET';
      const response = { ...(schema?.response as Record<string, unknown> | undefined) };
      // A path parameter longer than the router takes is refused before any route runs.
      if (url.includes(':')) response[414] = ErrorBody;
      if (!PUBLIC_ROUTES.has(url)) response[401] ??= ErrorBody;
      return {
        schema: {
          ...schema,
          operationId: OPERATION_IDS[`${method} ${url}`] ?? schema?.operationId,
          ...(PUBLIC_ROUTES.has(url) && { security: [] }),
          response,
        },
        url,
      };
    },
  };
}
