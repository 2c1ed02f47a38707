import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConfigurationStats } from '../../app/configurations/configuration-store.js';
import type { ConfigurationsService } from '../../app/configurations/configurations-service.js';
import { invalidInput, PanelError } from '../../app/errors.js';
import type { DriftPeer } from '../../app/sync/reconcile-plan.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import {
  AddConfigurationBody,
  ConfigurationJson,
  DeleteConfigurationBody,
  ToggleConfigurationQuery,
  UpdateConfigurationBody,
} from '../../../shared/wire/panel-api.js';
import { configurationJson } from './fleet-configuration-json.js';

export interface FleetConfigurationsRoutesDeps {
  readonly configurations: ConfigurationsService;
  readonly driftOf: (configurationId: number) => readonly DriftPeer[];
  readonly syncErrorOf: (configurationId: number) => string | null;
}

const fail = {
  400: FailureBody,
  401: FailureBody,
  403: FailureBody,
  404: FailureBody,
  409: FailureBody,
  502: FailureBody,
};

/** WGDashboard's configuration endpoints, over the fleet: each configuration is a node's interface. */
export const fleetConfigurationsRoutes =
  (deps: FleetConfigurationsRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const json = (c: ConfigurationStats) =>
      configurationJson(c, deps.driftOf(c.id), deps.syncErrorOf(c.id));

    app.get(
      '/api/getWireguardConfigurations',
      {
        schema: {
          tags: ['configurations'],
          summary: 'Every configuration of every node, with peer counts, usage totals and drift',
          response: { 200: Envelope(Type.Array(ConfigurationJson)), 401: FailureBody },
        },
      },
      async () => ok((await deps.configurations.list()).map(json)),
    );

    app.post(
      '/api/addWireguardConfiguration',
      {
        schema: {
          tags: ['configurations'],
          summary:
            'Create an interface on a node (its private key is generated there) and add it as a configuration',
          body: AddConfigurationBody,
          response: { 200: Envelope(ConfigurationJson), ...fail },
        },
      },
      async (req) => {
        const b = req.body;
        for (const hook of ['PreUp', 'PreDown'] as const)
          if (b[hook]?.trim())
            throw invalidInput(hook, 'is not supported; use PostUp/PostDown (agent --allow-hooks)');
        if (b.Protocol && b.Protocol !== 'wg')
          throw invalidInput('Protocol', 'only "wg" (WireGuard) is supported');
        const created = await deps.configurations.add({
          name: b.ConfigurationName,
          address: b.Address,
          listenPort: b.ListenPort,
          node: b.node ?? null,
          mtu: b.MTU ?? null,
          dns: b.DNS ?? null,
          endpointAllowedIp: b.EndpointAllowedIp ?? null,
          keepalive: b.Keepalive ?? null,
          postUp: b.PostUp?.trim() || null,
          postDown: b.PostDown?.trim() || null,
        });
        const ignored =
          b.PrivateKey || b.PublicKey
            ? ' (the given keys were ignored: the key pair is generated on the node)'
            : '';
        return ok(json(created), `Configuration "${created.name}" created${ignored}`);
      },
    );

    // GET as WGDashboard scripts send it (API key only); POST for a signed-in session. Two routes,
    // so each method has its own operationId in the OpenAPI document.
    for (const method of ['GET', 'POST'] as const)
      app.route({
        method,
        url: '/api/toggleWireguardConfiguration',
        config: { getChangesState: true },
        schema: {
          operationId:
            method === 'GET' ? 'toggleWireguardConfiguration' : 'toggleWireguardConfigurationPost',
          tags: ['configurations'],
          summary:
            'Turn a configuration’s interface up or down; `data` is whether it is now up (GET with an API key, as WGDashboard; POST with a session)',
          querystring: ToggleConfigurationQuery,
          response: { 200: Envelope(Type.Boolean()), ...fail },
        },
        handler: async (req) => {
          try {
            return ok(await deps.configurations.toggle(req.query.configurationName));
          } catch (e) {
            // WGDashboard's wording for an unknown name.
            if (
              e instanceof PanelError &&
              e.code === 'not_found' &&
              e.subject === req.query.configurationName
            )
              throw new PanelError('not_found', 'Please provide a valid configuration name');
            throw e;
          }
        },
      });

    app.post(
      '/api/updateConfigurationPeerDefaults',
      {
        schema: {
          tags: ['configurations'],
          summary:
            'Change the defaults new peers of a configuration get: client DNS, client AllowedIPs, keepalive (wgfleet; WGDashboard names)',
          description:
            "Peers already made keep their own settings. `ListenPort` and `Address` are accepted only unchanged (400 otherwise): the node's interface is changed by updateWireguardConfiguration. Other fields of the posted configuration are ignored.",
          body: UpdateConfigurationBody,
          response: { 200: Envelope(ConfigurationJson), ...fail },
        },
      },
      async (req) => {
        const { Name, ...fields } = req.body;
        const updated = await deps.configurations.updatePeerDefaults(Name, fields);
        return ok(json(updated), `Configuration "${updated.name}" updated`);
      },
    );

    app.post(
      '/api/deleteWireguardConfiguration',
      {
        schema: {
          tags: ['configurations'],
          summary: 'Delete a configuration: its interface on the node, then it and its peers here',
          body: DeleteConfigurationBody,
          response: { 200: Envelope(Type.Null()), ...fail },
        },
      },
      async (req) => {
        await deps.configurations.delete(req.body.ConfigurationName);
        return ok(null);
      },
    );
  };
