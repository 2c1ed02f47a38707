import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { PolicyRunner } from '../../app/usage/policy-runner.js';
import { INTERVAL_LIMITS } from '../../app/usage/interval-limits.js';
import type { PanelSettings, PanelSettingsService } from '../../app/settings/panel-settings.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

export interface UsageSettingsRoutesDeps {
  readonly settings: PanelSettingsService;
  readonly policy: PolicyRunner;
  readonly now: () => Date;
}

const { poll_interval_seconds: poll, enforcement_interval_seconds: enforcement } = INTERVAL_LIMITS;

const SettingsJson = Type.Object({
  timezone: Type.String({ description: 'IANA zone of reset schedules, e.g. Europe/Berlin' }),
  expiry_warning_days: Type.Integer({ description: 'Warn this many days before expiry' }),
  usage_minute_retention_hours: Type.Integer(),
  usage_hour_retention_days: Type.Integer(),
  usage_day_retention_days: Type.Union([Type.Integer(), Type.Null()], {
    description: 'null = keep day samples forever',
  }),
  // Numbers, not integers: as the start flags, which take fractions.
  poll_interval_seconds: Type.Number({
    description: `Seconds between polls of every node, ${poll.min}–${poll.max}. Default: --poll-interval; a saved value wins at once`,
  }),
  enforcement_interval_seconds: Type.Number({
    description: `Longest wait in seconds between enforcement passes (expiry, resets; traffic is enforced after every poll), ${enforcement.min}–${enforcement.max}. Default: --enforcement-interval; a saved value wins at once`,
  }),
});

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
        const next = await deps.settings.update(req.body as Partial<PanelSettings>, deps.now());
        await deps.policy.tick();
        return ok(next, 'Settings updated');
      },
    );
  };
