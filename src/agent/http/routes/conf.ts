import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody, InterfacePath, InterfaceSummary } from '../../../shared/wire/agent-api.js';
import { ConfFileJson, InterfacePatch } from '../../../shared/wire/agent-conf.js';
import { readConfRedacted, updateInterface } from '../../app/interface-settings.js';
import type { AgentDeps } from '../../app/ports.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 502: ErrorBody };

/** An interface's wg-quick file (keys redacted) and its `[Interface]` settings. */
export const confRoutes =
  (deps: AgentDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/v1/wg/:interface/conf',
      {
        schema: {
          summary:
            'The interface’s wg-quick file as the node keeps it, its PrivateKey and PresharedKey lines replaced by comments',
          params: InterfacePath,
          response: { 200: ConfFileJson, ...errors },
        },
      },
      async (req) => readConfRedacted(deps, req.params.interface),
    );
    app.patch(
      '/v1/wg/:interface',
      {
        schema: {
          summary:
            'Change Address, ListenPort, MTU, PostUp, PostDown; a running interface is restarted with them (the old file is put back if it does not come up)',
          params: InterfacePath,
          body: InterfacePatch,
          response: { 200: InterfaceSummary, 403: ErrorBody, 409: ErrorBody, ...errors },
        },
      },
      async (req) => updateInterface(deps, req.params.interface, req.body),
    );
  };
