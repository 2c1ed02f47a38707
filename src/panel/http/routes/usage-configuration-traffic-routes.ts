import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalidInput, notFound } from '../../app/errors.js';
import {
  readConfigurationSeries,
  type ConfigurationSamples,
} from '../../app/usage/configuration-series.js';
import type { PendingSamples } from '../../app/usage/samples-ports.js';
import { INTERVAL_MS } from '../../app/usage/usage-series.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import {
  ConfigurationTrafficsJson,
  ConfigurationTrafficsQuery,
  type TrafficPoint,
} from '../../../shared/wire/panel-api.js';
import { trafficRange } from './usage-traffic-routes.js';

export interface ConfigurationTrafficRoutesDeps {
  readonly samples: ConfigurationSamples;
  /** Minute samples still in memory (the current minute), merged into every answer. */
  readonly pending?: PendingSamples;
  /** Every configuration (id, name), or the one of that name. */
  readonly configurations: (name?: string) => Promise<{ id: number; name: string }[]>;
  readonly now: () => Date;
}

/** Points in one answer, all configurations together (a day of hours for 4,000 of them). */
const MAX_POINTS = 100_000;

/**
 * `GET /api/getConfigurationTraffics`: the traffic series of every configuration in one answer
 * (or of one, with `configurationName`). One call for the whole Configurations page, not one per
 * configuration: the sums are one GROUP BY per samples table over all of them, where N calls
 * would each scan the same rows for one configuration.
 */
export const configurationTrafficRoutes =
  (deps: ConfigurationTrafficRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/getConfigurationTraffics',
      {
        schema: {
          tags: ['usage'],
          summary:
            'Traffic of every configuration (all its peers) per minute, hour or day, for sparklines (buckets with no traffic left out)',
          querystring: ConfigurationTrafficsQuery,
          response: {
            200: Envelope(ConfigurationTrafficsJson),
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req) => {
        const q = req.query;
        const interval = q.interval ?? 'hour';
        const { from, to } = trafficRange(q, interval, deps.now());
        const list = await deps.configurations(q.configurationName);
        if (q.configurationName !== undefined && list.length === 0)
          throw notFound('configuration', q.configurationName);
        const points = Math.ceil((to.getTime() - from.getTime()) / INTERVAL_MS[interval]);
        if (points * list.length > MAX_POINTS)
          throw invalidInput(
            'interval',
            `gives more than ${MAX_POINTS} points for ${list.length} configurations: use a coarser one or a shorter span`,
          );
        const rows =
          list.length === 0
            ? []
            : await readConfigurationSeries(
                deps.samples,
                list.map((c) => c.id),
                interval,
                from,
                to,
                deps.pending,
              );
        const series = new Map(list.map((c) => [c.id, [] as TrafficPoint[]]));
        for (const r of rows)
          series.get(r.configurationId)?.push({
            time: r.bucketStart.toISOString(),
            rx: Number(r.rx),
            tx: Number(r.tx),
            total: Number(r.rx + r.tx),
          });
        return ok({
          interval,
          from: from.toISOString(),
          to: to.toISOString(),
          configurations: list.map((c) => ({ name: c.name, series: series.get(c.id) ?? [] })),
        });
      },
    );
  };
