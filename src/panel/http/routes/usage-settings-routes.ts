import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { PolicyRunner } from '../../app/usage/policy-runner.js';
import type { UsageSettings, UsageSettingsService } from '../../app/usage/usage-settings.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface UsageSettingsRoutesDeps {
  readonly settings: UsageSettingsService;
  readonly policy: PolicyRunner;
  readonly now: () => Date;
}

const SettingsJson = Type.Object({
  timezone: Type.String({ description: 'IANA zone of reset schedules, e.g. Europe/Berlin' }),
  expiry_warning_days: Type.Integer({ description: 'Warn this many days before expiry' }),
  usage_minute_retention_hours: Type.Integer(),
  usage_hour_retention_days: Type.Integer(),
  usage_day_retention_days: Type.Union([Type.Integer(), Type.Null()], {
    description: 'null = keep day samples forever',
  }),
});

/** `GET /api/getPanelSettings`, `POST /api/updatePanelSettings` (the usage settings). */
export const usageSettingsRoutes =
  (deps: UsageSettingsRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/getPanelSettings',
      {
        schema: {
          tags: ['usage'],
          summary: 'Panel settings: time zone, expiry warning window, sample retention',
          response: { 200: Envelope(SettingsJson), 401: FailureBody },
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
          body: Type.Partial(SettingsJson, { additionalProperties: false }),
          response: { 200: Envelope(SettingsJson), 400: FailureBody, 401: FailureBody },
        },
      },
      async (req) => {
        const next = await deps.settings.update(req.body as Partial<UsageSettings>, deps.now());
        await deps.policy.tick();
        return ok(next, 'Settings updated');
      },
    );
  };
