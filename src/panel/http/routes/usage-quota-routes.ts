import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TSchema } from 'typebox';
import { invalidInput } from '../../app/errors.js';
import type { PeerQuotas } from '../../app/usage/peer-quotas.js';
import { parseQuotaChange } from '../../app/usage/quota-change.js';
import type { UsagePeerRow } from '../../app/usage/usage-row.js';
import type { PanelSettingsService } from '../../app/settings/panel-settings.js';
import { Envelope, FailureBody, ok } from '../envelope.js';
import {
  BandwidthLimitFields,
  ConfigNameParams,
  DailyLimitFields,
  DownloadLimitFields,
  UploadLimitFields,
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
  readonly settings: PanelSettingsService;
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

/** The field must be given (the seed's endpoints each set one thing). */
function required(b: Record<string, unknown>, field: string): unknown {
  if (b[field] === undefined) throw invalidInput(field, 'is required');
  return b[field];
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
      'Set (or clear with null or "") the traffic limit: bytes, or a size like "10GiB"; 0 = zero bytes',
      TrafficLimitFields,
      async (b, ids) => {
        const change = parseQuotaChange({ traffic_limit: required(b, 'traffic_limit') });
        return [(await deps.quotas.change(await ids(), change)).rows, 'Traffic limit updated'];
      },
    );
    route(
      'updatePeerExpiryDate',
      'Set (or clear with null or "") the expiry date: ISO 8601, no offset = UTC',
      ExpiryDateFields,
      async (b, ids) => {
        const change = parseQuotaChange({ expiry_date: required(b, 'expiry_date') });
        return [(await deps.quotas.change(await ids(), change)).rows, 'Expiry date updated'];
      },
    );
    route(
      'updatePeerTrafficWarningThreshold',
      'Set the warning threshold, percent of the limit (1–100; default 80)',
      WarningThresholdFields,
      async (b, ids) => {
        const change = parseQuotaChange(
          { traffic_warn_threshold: required(b, 'threshold') },
          { threshold: 'threshold' },
        );
        return [(await deps.quotas.change(await ids(), change)).rows, 'Warning threshold updated'];
      },
    );
    route(
      'updatePeerResetSchedule',
      'Set the usage reset schedule: none | daily | weekly (anchor ISO weekday 1–7) | monthly (anchor day 1–31)',
      ResetScheduleFields,
      async (b, ids) => {
        // The seed's body: an anchor left out is the schedule's first day, not the stored one.
        const change = parseQuotaChange({
          reset_schedule: required(b, 'reset_schedule'),
          reset_anchor: b.reset_anchor ?? null,
        });
        return [(await deps.quotas.change(await ids(), change)).rows, 'Reset schedule updated'];
      },
    );
    route(
      'updatePeerBandwidthLimit',
      'Set (or clear with null) the speed limits, bits per second or "10Mbit": download = what the node sends the peer, upload = what it sends the node; an absent field is kept',
      BandwidthLimitFields,
      async (b, ids) => {
        const fields = [
          'download_bps',
          'upload_bps',
          'on_limit',
          'throttle_download_bps',
          'throttle_upload_bps',
        ] as const;
        if (fields.every((f) => b[f] === undefined))
          throw invalidInput(
            'download_bps',
            `is required (or one of ${fields.slice(1).join(', ')})`,
          );
        const change = parseQuotaChange(Object.fromEntries(fields.map((f) => [f, b[f]])));
        return [(await deps.quotas.change(await ids(), change)).rows, 'Bandwidth limit updated'];
      },
    );
    for (const [path, field, props, what] of [
      ['updatePeerDownloadLimit', 'download_limit', DownloadLimitFields, 'Download limit'],
      ['updatePeerUploadLimit', 'upload_limit', UploadLimitFields, 'Upload limit'],
      ['updatePeerDailyLimit', 'daily_limit', DailyLimitFields, 'Daily limit'],
    ] as const)
      route(
        path,
        `Set (or clear with null or "") the ${what.toLowerCase()}: bytes, or a size like "10GiB"; 0 = zero bytes`,
        props,
        async (b, ids) => {
          const change = parseQuotaChange({ [field]: required(b, field) });
          return [(await deps.quotas.change(await ids(), change)).rows, `${what} updated`];
        },
      );
    route(
      'resetPeerData',
      "Reset the period's usage (total, receive or sent); restores a peer cut off by its limit",
      ResetDataFields,
      async (b, ids) => {
        const type = (b.type as 'total' | 'receive' | 'sent' | undefined) ?? 'total';
        return [(await deps.quotas.resetUsage(await ids(), type)).rows, 'Peer data reset'];
      },
    );
  };
