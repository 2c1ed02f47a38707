import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConfigurationStats } from '../../app/configurations/configuration-store.js';
import { invalidInput } from '../../app/errors.js';
import {
  changeInterface,
  configurationNamed,
  renameConfiguration,
  type ConfigurationEditsDeps,
} from '../../app/wgdashboard/configuration-edits.js';
import { ConfigurationJson } from '../../../shared/wire/panel-api.js';
import {
  RenameConfigurationBody,
  UpdateConfigurationBody,
} from '../../../shared/wire/panel/wgdashboard.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface WgdConfigurationRoutesDeps {
  readonly edits: ConfigurationEditsDeps;
  readonly json: (c: ConfigurationStats) => ConfigurationJson;
}

const fail = {
  400: FailureBody,
  401: FailureBody,
  403: FailureBody,
  404: FailureBody,
  409: FailureBody,
  502: FailureBody,
};

/**
 * An optional hook field: null clears it; "" leaves it as it is (the panel does not show the
 * node's hooks, so a client sending back the `""` it read means no change).
 */
const hook = (v: string | null | undefined) =>
  v === undefined || v?.trim() === '' ? undefined : (v?.trim() ?? null);

/** WGDashboard 4.3's updateWireguardConfiguration and renameWireguardConfiguration. */
export const wgdConfigurationRoutes =
  (deps: WgdConfigurationRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['configurations'];

    app.post(
      '/api/updateWireguardConfiguration',
      {
        schema: {
          tags,
          summary:
            'Change a configuration’s Address, ListenPort, MTU, PostUp, PostDown: the node restarts the interface with them (hooks need the agent’s --allow-hooks)',
          body: UpdateConfigurationBody,
          response: { 200: Envelope(ConfigurationJson), ...fail },
        },
      },
      async (req) => {
        const b = req.body;
        for (const field of ['PreUp', 'PreDown', 'Table'] as const)
          if (b[field]?.trim())
            throw invalidInput(
              field,
              'is not supported; use PostUp/PostDown (agent --allow-hooks)',
            );
        const c = await configurationNamed(deps.edits, b.Name);
        await changeInterface(deps.edits, c, {
          ...(b.Address !== undefined && { address: b.Address }),
          ...(b.ListenPort !== undefined && { listenPort: Number(b.ListenPort) }),
          ...(b.MTU !== undefined && { mtu: b.MTU }),
          postUp: hook(b.PostUp),
          postDown: hook(b.PostDown),
        });
        return ok(deps.json(await configurationNamed(deps.edits, b.Name)));
      },
    );

    app.post(
      '/api/renameWireguardConfiguration',
      {
        schema: {
          tags,
          summary:
            'Rename a configuration in the panel (its interface on the node keeps its name; peers, usage and jobs stay)',
          body: RenameConfigurationBody,
          response: { 200: Envelope(Type.Null()), ...fail },
        },
      },
      async (req) => {
        await renameConfiguration(
          deps.edits,
          req.body.ConfigurationName,
          req.body.NewConfigurationName,
        );
        return ok(null);
      },
    );
  };
