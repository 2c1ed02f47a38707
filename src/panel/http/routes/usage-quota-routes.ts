import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TSchema } from 'typebox';
import { invalidInput } from '../../app/errors.js';
import type { PeerQuotas } from '../../app/usage/peer-quotas.js';
import type { PeerQuotaPatch } from '../../app/usage/ports.js';
import type { UsagePeerRow } from '../../app/usage/usage-row.js';
import type { UsageSettingsService } from '../../app/usage/usage-settings.js';
import { RESET_SCHEDULES, type ResetSchedule } from '../../domain/vocabulary.js';
import { ByteSizeError, parseByteSize } from '../../../shared/byte-size.js';
import { parseUtcDate } from '../../../shared/utc-date.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import {
  ConfigNameParams,
  ExpiryDateFields,
  QuotaAnswer,
  quotaBody,
  ResetDataFields,
  ResetScheduleFields,
  TrafficLimitFields,
  WarningThresholdFields,
} from '../../../shared/wire/panel-api.js';
import { quotaJson } from './usage-quota-json.js';

export interface UsageQuotaRoutesDeps {
  readonly quotas: PeerQuotas;
  readonly settings: UsageSettingsService;
  readonly now: () => Date;
}

const answer = {
  200: Envelope(QuotaAnswer),
  400: FailureBody,
  401: FailureBody,
  404: FailureBody,
};

function targetsOf(b: { id?: string | undefined; peers?: string[] | undefined }): string[] {
  if (b.id !== undefined && b.peers !== undefined)
    throw invalidInput('id', 'give either id (one public key) or peers (a list), not both');
  const keys = b.id !== undefined ? [b.id] : b.peers;
  if (!keys) throw invalidInput('id', 'is required (or peers: a list of public keys)');
  return keys;
}

/** A limit: integer bytes up to 2^53 − 1, a size with a unit ("10GiB", "500MB"), or null. */
export function parseTrafficLimit(value: unknown): bigint | null {
  if (value === null) return null;
  if (typeof value !== 'number' && typeof value !== 'string')
    throw invalidInput('traffic_limit', 'must be bytes (an integer), a size like "10GiB", or null');
  try {
    return parseByteSize(value);
  } catch (err) {
    if (err instanceof ByteSizeError) throw invalidInput('traffic_limit', err.message);
    throw err;
  }
}

function parseExpiry(value: unknown): Date | null {
  if (value === null) return null;
  const d = typeof value === 'string' ? parseUtcDate(value) : null;
  if (!d)
    throw invalidInput('expiry_date', 'must be an ISO 8601 date-time (no offset = UTC) or null');
  return d;
}

function parseThreshold(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100)
    throw invalidInput('threshold', 'must be an integer from 1 to 100');
  return value;
}

function parseSchedule(schedule: unknown, anchor: unknown): [ResetSchedule, number | null] {
  if (typeof schedule !== 'string' || !RESET_SCHEDULES.includes(schedule as ResetSchedule))
    throw invalidInput('reset_schedule', `must be one of ${RESET_SCHEDULES.join(', ')}`);
  const s = schedule as ResetSchedule;
  if (anchor === undefined || anchor === null) return [s, null];
  if (s === 'none' || s === 'daily')
    throw invalidInput('reset_anchor', `must be null for a ${s} schedule`);
  const max = s === 'weekly' ? 7 : 31;
  if (typeof anchor !== 'number' || !Number.isInteger(anchor) || anchor < 1 || anchor > max)
    throw invalidInput(
      'reset_anchor',
      s === 'weekly'
        ? 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)'
        : 'must be a day of the month from 1 to 31 (31 = the last day)',
    );
  return [s, anchor];
}

/**
 * The seed's quota endpoints (updatePeerTrafficLimit, updatePeerExpiryDate,
 * updatePeerTrafficWarningThreshold), reset schedules and WGDashboard's resetPeerData. Each takes
 * `id` (one peer, the seed's body) or `peers` (bulk); values are checked before anything is
 * written, and the policy runs for those peers within the request.
 */
export const usageQuotaRoutes =
  (deps: UsageQuotaRoutesDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const reply = async (single: boolean, rows: UsagePeerRow[], message: string) => {
      const { timezone } = await deps.settings.get();
      const now = deps.now();
      const json = rows.map((r) => quotaJson(r, now, timezone));
      return ok(single ? (json[0] ?? null) : json, message);
    };
    const route = <P extends Record<string, TSchema>>(
      path: string,
      summary: string,
      props: P,
      handle: (
        b: Record<string, unknown>,
        ids: () => Promise<number[]>,
      ) => Promise<[UsagePeerRow[], string]>,
    ) =>
      app.post(
        `/api/${path}/:configName`,
        {
          schema: {
            tags: ['usage'],
            summary,
            params: ConfigNameParams,
            body: quotaBody(props),
            response: answer,
          },
        },
        async (req) => {
          const b = req.body as Record<string, unknown> & { id?: string; peers?: string[] };
          const keys = targetsOf(b);
          const [rows, message] = await handle(b, () =>
            deps.quotas.resolve(req.params.configName, keys),
          );
          return reply(b.id !== undefined, rows, message);
        },
      );

    route(
      'updatePeerTrafficLimit',
      'Set (or clear with null) the traffic limit: bytes, or a size like "10GiB"',
      TrafficLimitFields,
      async (b, ids) => {
        const patch: PeerQuotaPatch = { traffic_limit: parseTrafficLimit(b.traffic_limit) };
        return [await deps.quotas.update(await ids(), patch), 'Traffic limit updated'];
      },
    );
    route(
      'updatePeerExpiryDate',
      'Set (or clear with null) the expiry date: ISO 8601, no offset = UTC',
      ExpiryDateFields,
      async (b, ids) => {
        const expiry = parseExpiry(b.expiry_date);
        return [await deps.quotas.setExpiry(await ids(), expiry), 'Expiry date updated'];
      },
    );
    route(
      'updatePeerTrafficWarningThreshold',
      'Set the warning threshold, percent of the limit (1–100; default 80)',
      WarningThresholdFields,
      async (b, ids) => {
        const patch: PeerQuotaPatch = { traffic_warn_threshold: parseThreshold(b.threshold) };
        return [await deps.quotas.update(await ids(), patch), 'Warning threshold updated'];
      },
    );
    route(
      'updatePeerResetSchedule',
      'Set the usage reset schedule: none | daily | weekly (anchor ISO weekday 1–7) | monthly (anchor day 1–31)',
      ResetScheduleFields,
      async (b, ids) => {
        const [schedule, anchor] = parseSchedule(b.reset_schedule, b.reset_anchor);
        return [
          await deps.quotas.setResetSchedule(await ids(), schedule, anchor),
          'Reset schedule updated',
        ];
      },
    );
    route(
      'resetPeerData',
      "Reset the period's usage (total, receive or sent); restores a peer cut off by its limit",
      ResetDataFields,
      async (b, ids) => {
        const type = (b.type as 'total' | 'receive' | 'sent' | undefined) ?? 'total';
        return [await deps.quotas.resetUsage(await ids(), type), 'Peer data reset'];
      },
    );
  };
