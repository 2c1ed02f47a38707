import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { FailureBody } from '../../shared/wire/panel-api.js';

/**
 * The panel's OpenAPI document: every operation named after its WGDashboard action
 * (`/api/addPeers/{configName}` → `addPeers`), public routes without the security requirement,
 * and the 414 a path parameter too long for the router gets.
 */
export function panelOpenapi(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'wgfleet panel API',
        version,
        description: 'WGDashboard-compatible API of the wgfleet panel',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: '/', description: 'This panel' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'wg-dashboard-apikey' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key as bearer token' },
          session: { type: 'apiKey', in: 'cookie', name: 'wgfleet_session' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }, { session: [] }],
    },
    transform: ({ schema, url, route }) => {
      const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
      const response = { ...(schema?.response as Record<string, unknown> | undefined) };
      if (url.includes(':')) response[414] = FailureBody;
      return {
        schema: {
          ...schema,
          operationId: schema?.operationId ?? operationIdOf(url),
          ...(isPublic && { security: [] }),
          response,
        },
        url,
      };
    },
  };
}

/** `/api/getNodes` → `getNodes`; `/metrics` → `metrics`. */
export function operationIdOf(url: string): string {
  const parts = url.split('/').filter((p) => p !== '' && !p.startsWith(':'));
  return (parts[0] === 'api' ? parts.slice(1) : parts).join('_');
}
