import type { UsagePeerRow } from '../../app/usage/usage-row.js';
import {
  daysUntil,
  isAtThreshold,
  isExpired,
  isOverLimit,
  usagePercent,
} from '../../domain/policy/evaluate.js';
import { nextBoundary } from '../../domain/policy/reset-schedule.js';
import type { QuotaJson } from '../../../shared/wire/panel-api.js';

export { QuotaJson } from '../../../shared/wire/panel-api.js';

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
    download_bps: r.download_bps === null ? null : Number(r.download_bps),
    upload_bps: r.upload_bps === null ? null : Number(r.upload_bps),
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
