import { Type, type Static, type TSchema } from 'typebox';
import type { UsagePeerRow } from '../../app/usage/usage-row.js';
import {
  daysUntil,
  isAtThreshold,
  isExpired,
  isOverLimit,
  usagePercent,
} from '../../domain/policy/evaluate.js';
import { nextBoundary } from '../../domain/policy/reset-schedule.js';
import { PEER_STATUSES, RESET_SCHEDULES, RESTRICTION_REASONS } from '../../domain/vocabulary.js';
import { literalUnion } from '../../../shared/wire/literal-union.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Bytes = Type.Integer({ minimum: 0 });

/** A peer's quota settings and usage, as the usage endpoints answer. Byte counts are integers. */
export const QuotaJson = Type.Object({
  id: Type.String({ description: 'The public key' }),
  name: Type.String(),
  status: literalUnion(PEER_STATUSES),
  restriction_reason: Nullable(literalUnion(RESTRICTION_REASONS)),
  traffic_limit: Nullable(Bytes),
  expiry_date: Nullable(Type.String()),
  traffic_warn_threshold: Type.Integer(),
  reset_schedule: literalUnion(RESET_SCHEDULES),
  reset_anchor: Nullable(Type.Integer()),
  period_started_at: Type.String(),
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

/** Maps a row to QuotaJson at `now` (reset boundaries in `timezone`). */
export function quotaJson(r: UsagePeerRow, now: Date, timezone: string): QuotaJson {
  const usage = r.period_rx + r.period_tx;
  return {
    id: r.public_key,
    name: r.name,
    status: r.status,
    restriction_reason: r.restriction_reason,
    traffic_limit: r.traffic_limit === null ? null : Number(r.traffic_limit),
    expiry_date: r.expiry_date?.toISOString() ?? null,
    traffic_warn_threshold: r.traffic_warn_threshold,
    reset_schedule: r.reset_schedule,
    reset_anchor: r.reset_anchor,
    period_started_at: r.period_started_at.toISOString(),
    next_reset_at:
      nextBoundary(r.reset_schedule, r.reset_anchor, now, timezone)?.toISOString() ?? null,
    period_rx: Number(r.period_rx),
    period_tx: Number(r.period_tx),
    usage_total: Number(usage),
    usage_percentage: usagePercent(usage, r.traffic_limit),
    traffic_limit_exceeded: isOverLimit(usage, r.traffic_limit),
    traffic_limit_warning: isAtThreshold(usage, r.traffic_limit, r.traffic_warn_threshold),
    expired: isExpired(r.expiry_date, now),
    days_until_expiry: r.expiry_date === null ? null : daysUntil(r.expiry_date, now),
  };
}
