import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { invalidInput } from '../../app/errors.js';
import type { PeerDirectory, ReportPeer } from '../../app/usage/ports.js';
import type { PendingSamples, SamplesStore } from '../../app/usage/samples-ports.js';
import { toCsv } from '../../app/usage/usage-csv.js';
import {
  alignedInterval,
  INTERVAL_MS,
  readSeries,
  type Interval,
} from '../../app/usage/usage-series.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import { optionalDate, resolveScope } from './usage-query.js';
import {
  PeerTrafficJson,
  PeerTrafficsQuery,
  UsageCsvQuery,
} from '../../../shared/wire/panel-api.js';

export interface UsageTrafficRoutesDeps {
  readonly samples: SamplesStore;
  /** Minute samples still in memory (the current minute), merged into every answer. */
  readonly pending?: PendingSamples;
  readonly directory: PeerDirectory;
  readonly reportPeers: (configurationId: number) => Promise<ReportPeer[]>;
  readonly now: () => Date;
}

const MAX_POINTS = 10_000;
/** Span of a series when `from` is not given: an hour of minutes, a day of hours, 30 days. */
export const DEFAULT_SPAN: Record<Interval, number> = {
  minute: 3_600_000,
  hour: 86_400_000,
  day: 30 * 86_400_000,
};
/** `from`/`to` of a series query (defaults: DEFAULT_SPAN up to now); 400 naming the field. */
export function trafficRange(
  q: { from?: string | undefined; to?: string | undefined },
  interval: Interval,
  now: Date,
) {
  const to = optionalDate(q.to, 'to') ?? now;
  const from = optionalDate(q.from, 'from') ?? new Date(to.getTime() - DEFAULT_SPAN[interval]);
  if (from.getTime() >= to.getTime()) throw invalidInput('from', 'must be before to');
  if ((to.getTime() - from.getTime()) / INTERVAL_MS[interval] > MAX_POINTS)
    throw invalidInput('interval', `gives more than ${MAX_POINTS} points: use a coarser one`);
  return { from, to };
}

/** `GET /api/getPeerTraffics` (a peer's usage series) and `GET /api/exportUsageCsv`. */
export const usageTrafficRoutes =
  (deps: UsageTrafficRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/getPeerTraffics',
      {
        schema: {
          tags: ['usage'],
          summary: "A peer's traffic per minute, hour or day (buckets with no traffic left out)",
          querystring: PeerTrafficsQuery,
          response: {
            200: Envelope(PeerTrafficJson),
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
        const scope = await resolveScope(deps.directory, q.configurationName, q.id);
        const rows = await readSeries(
          deps.samples,
          { peerId: scope.peerId as number },
          interval,
          from,
          to,
          deps.pending,
        );
        return ok({
          interval,
          from: from.toISOString(),
          to: to.toISOString(),
          series: rows.map((r) => ({
            time: r.bucketStart.toISOString(),
            rx: Number(r.rx),
            tx: Number(r.tx),
            total: Number(r.rx + r.tx),
          })),
        });
      },
    );

    app.get(
      '/api/exportUsageCsv',
      {
        schema: {
          tags: ['usage'],
          summary:
            'CSV of each peer’s traffic in [from, to) (UTC buckets; ends aligned to days read day rows)',
          querystring: UsageCsvQuery,
          response: {
            200: {
              description: 'One row per peer; failures are JSON envelopes',
              content: { 'text/csv': { schema: Type.String() } },
            },
            400: FailureBody,
            401: FailureBody,
            404: FailureBody,
          },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const now = deps.now();
        const to = optionalDate(q.to, 'to') ?? now;
        const from = optionalDate(q.from, 'from') ?? new Date(to.getTime() - DEFAULT_SPAN.day);
        if (from.getTime() >= to.getTime()) throw invalidInput('from', 'must be before to');
        const scope = await resolveScope(deps.directory, q.configurationName);
        const rows = await readSeries(
          deps.samples,
          { configurationId: scope.configurationId },
          alignedInterval(from, to),
          from,
          to,
          deps.pending,
        );
        const sums = new Map<number, { rx: bigint; tx: bigint }>();
        for (const r of rows) {
          if (r.bucketStart.getTime() < from.getTime() || r.bucketStart.getTime() >= to.getTime())
            continue;
          const s = sums.get(r.peerId) ?? { rx: 0n, tx: 0n };
          s.rx += r.rx;
          s.tx += r.tx;
          sums.set(r.peerId, s);
        }
        const peers = await deps.reportPeers(scope.configurationId);
        const csv = toCsv(
          [
            'configuration',
            'peer_name',
            'public_key',
            'allowed_ip',
            'status',
            'restriction_reason',
            'traffic_limit',
            'from',
            'to',
            'rx_bytes',
            'tx_bytes',
            'total_bytes',
          ],
          peers.map((p) => {
            const s = sums.get(p.id) ?? { rx: 0n, tx: 0n };
            return [
              q.configurationName,
              p.name,
              p.public_key,
              p.allowed_ip,
              p.status,
              p.restriction_reason,
              p.traffic_limit,
              from.toISOString(),
              to.toISOString(),
              s.rx,
              s.tx,
              s.rx + s.tx,
            ];
          }),
        );
        const file = `usage-${q.configurationName.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`;
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}"`)
          .send(csv);
      },
    );
  };
