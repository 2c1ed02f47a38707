import { Type, type Static, type TSchema } from 'typebox';
import {
  ON_LIMIT_ACTIONS,
  QUOTA_KINDS,
  RESET_SCHEDULES,
  SHOWN_PEER_STATUSES,
  RESTRICTION_REASONS,
  TRAFFIC_INTERVALS,
} from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { ConfigName, MAX_PEERS_PER_REQUEST, Nullable } from './common.js';
import { BytesField, RateField, ThrottleFields } from './peers.js';

const Bytes = Type.Integer({ minimum: 0 });
const Key = Type.String({ minLength: 1, maxLength: 64 });

/** A peer's quota settings and usage, as the usage endpoints answer. Byte counts are integers. */
export const QuotaJson = Type.Object({
  id: Type.String({ description: 'The public key' }),
  name: Type.String(),
  status: literalUnion(SHOWN_PEER_STATUSES),
  restriction_reason: Nullable(literalUnion(RESTRICTION_REASONS)),
  traffic_limit: Nullable(Bytes),
  expiry_date: Nullable(Type.String()),
  traffic_warn_threshold: Type.Integer(),
  reset_schedule: literalUnion(RESET_SCHEDULES),
  reset_anchor: Nullable(Type.Integer()),
  period_started_at: Type.String(),
  download_bps: Nullable(Type.Integer({ description: 'bit/s; null = not limited' })),
  upload_bps: Nullable(Type.Integer({ description: 'bit/s; null = not limited' })),
  on_limit: literalUnion(ON_LIMIT_ACTIONS),
  throttle_download_bps: Nullable(Type.Integer({ description: 'bit/s while throttled' })),
  throttle_upload_bps: Nullable(Type.Integer({ description: 'bit/s while throttled' })),
  throttled: Type.Boolean(),
  throttled_at: Nullable(Type.String()),
  /** Which quota is used up first (the cause of a cut or a throttle), null = none. */
  limit_reached: Nullable(literalUnion(QUOTA_KINDS)),
  download_limit: Nullable(Bytes),
  upload_limit: Nullable(Bytes),
  daily_limit: Nullable(Bytes),
  day_rx: Bytes,
  day_tx: Bytes,
  day_usage: Bytes,
  day_started_at: Nullable(Type.String()),
  next_day_at: Nullable(Type.String()),
  next_reset_at: Nullable(Type.String()),
  period_rx: Bytes,
  period_tx: Bytes,
  usage_total: Bytes,
  usage_percentage: Nullable(Type.Number()),
  traffic_limit_exceeded: Type.Boolean(),
  traffic_limit_warning: Type.Boolean(),
  expired: Type.Boolean(),
  days_until_expiry: Nullable(Type.Integer()),
});
export type QuotaJson = Static<typeof QuotaJson>;

/** The answer of a quota endpoint: one peer for `id`, a list for `peers`. */
export const QuotaAnswer = Type.Union([QuotaJson, Type.Array(QuotaJson)]);

/**
 * The body of a quota endpoint: `id` (one public key, as in WGDashboard) or `peers` (many),
 * exactly one of them (checked by the route), and the endpoint's own fields.
 */
export const quotaBody = <P extends Record<string, TSchema>>(props: P) =>
  Type.Object(
    {
      id: Type.Optional(Key),
      peers: Type.Optional(Type.Array(Key, { minItems: 1, maxItems: MAX_PEERS_PER_REQUEST })),
      ...props,
    },
    { additionalProperties: false },
  );

// The values are checked by the routes (a clear message naming the field), not by the schema.
export const TrafficLimitFields = {
  traffic_limit: Type.Unknown({ description: 'integer bytes, "10GiB", "500MB", null or ""' }),
};
export const ExpiryDateFields = {
  expiry_date: Type.Unknown({ description: 'ISO 8601, null or ""' }),
};
export const WarningThresholdFields = {
  threshold: Type.Unknown({ description: 'integer 1–100' }),
};
export const BandwidthLimitFields = {
  download_bps: Type.Optional(RateField('What the node sends the peer')),
  upload_bps: Type.Optional(RateField('What the peer sends the node')),
  ...ThrottleFields,
};
export const DownloadLimitFields = {
  download_limit: BytesField('Bytes per period the node sends the peer (its tx)'),
};
export const UploadLimitFields = {
  upload_limit: BytesField('Bytes per period the peer sends the node (its rx)'),
};
export const DailyLimitFields = {
  daily_limit: BytesField("Bytes (rx + tx) per calendar day in the panel's time zone"),
};
export const ResetScheduleFields = {
  reset_schedule: Type.Unknown({ description: RESET_SCHEDULES.join(', ') }),
  reset_anchor: Type.Optional(Type.Unknown({ description: 'weekday 1–7 or day 1–31' })),
};
export const ResetDataFields = {
  type: Type.Optional(literalUnion(['total', 'receive', 'sent'])),
};
export const TrafficLimitBody = quotaBody(TrafficLimitFields);
export const ExpiryDateBody = quotaBody(ExpiryDateFields);
export const WarningThresholdBody = quotaBody(WarningThresholdFields);
export const ResetScheduleBody = quotaBody(ResetScheduleFields);
export const BandwidthLimitBody = quotaBody(BandwidthLimitFields);
export const DownloadLimitBody = quotaBody(DownloadLimitFields);
export const UploadLimitBody = quotaBody(UploadLimitFields);
export const DailyLimitBody = quotaBody(DailyLimitFields);
export const ResetDataBody = quotaBody(ResetDataFields);

/** One bucket of a traffic series. */
export const TrafficPoint = Type.Object({
  time: Type.String({ description: 'Start of the bucket, ISO 8601 UTC' }),
  rx: Type.Integer(),
  tx: Type.Integer(),
  total: Type.Integer(),
});
export type TrafficPoint = Static<typeof TrafficPoint>;

/** The query fields of every series: its interval and range. */
export const trafficRangeQuery = {
  interval: Type.Optional(literalUnion(TRAFFIC_INTERVALS)),
  from: Type.Optional(Type.String({ description: 'ISO 8601; default: to − 1 h/24 h/30 d' })),
  to: Type.Optional(Type.String({ description: 'ISO 8601; default: now' })),
};

/** What every series answer starts with: the interval and range it covers. */
export const trafficSeriesHead = {
  interval: literalUnion(TRAFFIC_INTERVALS),
  from: Type.String(),
  to: Type.String(),
};

export const PeerTrafficsQuery = Type.Object({
  configurationName: ConfigName,
  id: Type.String({ minLength: 1, maxLength: 64, description: 'public key' }),
  ...trafficRangeQuery,
});
/** `getPeerTraffics`: buckets without traffic are left out. */
export const PeerTrafficJson = Type.Object({
  ...trafficSeriesHead,
  series: Type.Array(TrafficPoint),
});
export type PeerTrafficJson = Static<typeof PeerTrafficJson>;

export const ConfigurationTrafficsQuery = Type.Object({
  configurationName: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'only this one' }),
  ),
  ...trafficRangeQuery,
});
/** `getConfigurationTraffics`: every configuration's series over one span, in one answer. */
export const ConfigurationTrafficsJson = Type.Object({
  ...trafficSeriesHead,
  configurations: Type.Array(
    Type.Object({ name: Type.String(), series: Type.Array(TrafficPoint) }),
  ),
});
export type ConfigurationTrafficsJson = Static<typeof ConfigurationTrafficsJson>;

export const UsageCsvQuery = Type.Object({
  configurationName: ConfigName,
  from: Type.Optional(Type.String({ description: 'ISO 8601; default: to − 30 days' })),
  to: Type.Optional(Type.String({ description: 'ISO 8601; default: now' })),
});
