import type { UsagePeerRow } from '../../app/usage/usage-row.js';
import {
  daysUntil,
  isAtThreshold,
  isExpired,
  isOverLimit,
  usagePercent,
} from '../../domain/policy/evaluate.js';
import { dayUsageAt, firstOver, quotaReadings, shownStatus } from '../../domain/policy/quotas.js';
import { nextBoundary } from '../../domain/policy/reset-schedule.js';
import type { QuotaJson } from '../../../shared/wire/panel-api.js';

export { QuotaJson } from '../../../shared/wire/panel-api.js';

/** Maps a row to QuotaJson at `now` (reset boundaries in `timezone`). */
export function quotaJson(r: UsagePeerRow, now: Date, timezone: string): QuotaJson {
  const usage = r.period_rx + r.period_tx;
  const day = dayUsageAt(r.day_rx + r.day_tx, r.day_started_at, now, timezone);
  const fresh = day === r.day_rx + r.day_tx;
  const reached = firstOver(
    quotaReadings(r.traffic_limit, usage, {
      downloadLimit: r.download_limit,
      uploadLimit: r.upload_limit,
      dailyLimit: r.daily_limit,
      download: r.period_tx,
      upload: r.period_rx,
      dayUsage: day,
    }),
  );
  const num = (v: bigint | null) => (v === null ? null : Number(v));
  return {
    id: r.public_key,
    name: r.name,
    status: shownStatus(r.status, r.throttled_at !== null),
    restriction_reason: r.restriction_reason,
    traffic_limit: r.traffic_limit === null ? null : Number(r.traffic_limit),
    expiry_date: r.expiry_date?.toISOString() ?? null,
    traffic_warn_threshold: r.traffic_warn_threshold,
    reset_schedule: r.reset_schedule,
    reset_anchor: r.reset_anchor,
    period_started_at: r.period_started_at.toISOString(),
    download_bps: r.download_bps === null ? null : Number(r.download_bps),
    upload_bps: r.upload_bps === null ? null : Number(r.upload_bps),
    on_limit: r.on_limit,
    throttle_download_bps: num(r.throttle_download_bps),
    throttle_upload_bps: num(r.throttle_upload_bps),
    throttled: r.throttled_at !== null,
    throttled_at: r.throttled_at?.toISOString() ?? null,
    limit_reached: reached?.quota ?? null,
    download_limit: num(r.download_limit),
    upload_limit: num(r.upload_limit),
    daily_limit: num(r.daily_limit),
    day_rx: fresh ? Number(r.day_rx) : 0,
    day_tx: fresh ? Number(r.day_tx) : 0,
    day_usage: Number(day),
    day_started_at: r.day_started_at?.toISOString() ?? null,
    next_day_at:
      r.daily_limit === null
        ? null
        : (nextBoundary('daily', null, now, timezone)?.toISOString() ?? null),
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
