import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { PanelSettingsJson, UpdatePanelSettingsBody } from '../../../shared/wire/panel-api.js';
import type { PolicyRunner } from '../../app/usage/policy-runner.js';
import type { PanelSettings, PanelSettingsService } from '../../app/settings/panel-settings.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface UsageSettingsRoutesDeps {
  readonly settings: PanelSettingsService;
  readonly policy: PolicyRunner;
  readonly now: () => Date;
}

/**
 * `GET /api/getPanelSettings`, `POST /api/updatePanelSettings`: the usage settings and the
 * poll and enforcement intervals, as in force (a saved value, else the start flag's default).
 */
export const panelSettingsRoutes =
  (deps: UsageSettingsRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/getPanelSettings',
      {
        schema: {
          tags: ['usage'],
          summary:
            'Panel settings in force: time zone, expiry warning window, sample retention, poll and enforcement intervals',
          response: { 200: Envelope(PanelSettingsJson), 401: FailureBody },
        },
      },
      async () => ok(await deps.settings.get()),
    );
    app.post(
      '/api/updatePanelSettings',
      {
        schema: {
          tags: ['usage'],
          summary: 'Change some settings; the policy runs again at once with them',
          body: UpdatePanelSettingsBody,
          response: { 200: Envelope(PanelSettingsJson), 400: FailureBody, 401: FailureBody },
        },
      },
      async (req) => {
        const next = await deps.settings.update(req.body as Partial<PanelSettings>, deps.now());
        await deps.policy.tick();
        return ok(next, 'Settings updated');
      },
    );
  };
