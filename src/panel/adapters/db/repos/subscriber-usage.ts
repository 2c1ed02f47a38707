import { sql, type Kysely } from 'kysely';
import type { SubscriberPolicyRow } from '../../../app/usage/subscriber-row.js';
import type { Database } from '../schema/database.js';
import { toBigInt } from '../values.js';

/** The subscribers columns its policy reads (usage comes from its peers, see withUsage). */
export const SUBSCRIBER_POLICY_COLUMNS = [
  'id',
  'name',
  'status',
  'restriction_reason',
  'traffic_limit',
  'expiry_date',
  'traffic_warn_threshold',
  'reset_schedule',
  'reset_anchor',
  'on_hold_days',
  'activated_at',
  'period_started_at',
  'traffic_warned',
  'expiry_warned_for',
  'created_at',
  'carried_rx',
  'carried_tx',
  'on_limit',
  'throttle_download_bps',
  'throttle_upload_bps',
  'throttled_at',
  'download_limit',
  'upload_limit',
  'daily_limit',
  'day_started_at',
  'day_carried',
  'download_warned',
  'upload_warned',
  'daily_warned',
] as const;

type Columns = Omit<
  SubscriberPolicyRow,
  'usage_rx' | 'usage_tx' | 'day_usage' | 'first_handshake_at'
> & {
  readonly carried_rx: bigint;
  readonly carried_tx: bigint;
  readonly day_carried: bigint;
};

const CHUNK = 1000;

/**
 * Per subscriber: Σ(lifetime − base) of its peers, both directions, and Σ(lifetime rx + tx − day
 * base) for its day (one GROUP BY per chunk).
 */
export async function peerUsageOf(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, { rx: bigint; tx: bigint; day: bigint }>> {
  const out = new Map<number, { rx: bigint; tx: bigint; day: bigint }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('peers')
      .select([
        'subscriber_id',
        sql<unknown>`sum(lifetime_rx - subscriber_base_rx)`.as('rx'),
        sql<unknown>`sum(lifetime_tx - subscriber_base_tx)`.as('tx'),
        sql<unknown>`sum(lifetime_rx + lifetime_tx - subscriber_day_base)`.as('day'),
      ])
      .where('subscriber_id', 'in', ids.slice(i, i + CHUNK))
      .groupBy('subscriber_id')
      .execute();
    for (const r of rows)
      out.set(r.subscriber_id as number, {
        rx: toBigInt(r.rx ?? 0, 'usage rx'),
        tx: toBigInt(r.tx ?? 0, 'usage tx'),
        day: toBigInt(r.day ?? 0, 'day usage'),
      });
  }
  return out;
}

/**
 * The subscribers' rows with their usage (carried + each peer's lifetime − base) and, for those
 * on hold, the earliest handshake of their peers since they were created. Reads without locking:
 * inside a transaction, after the subscribers' rows were locked, it sees every usage committed
 * before it (the ingest of another node included).
 */
export async function withUsage(
  db: Kysely<Database>,
  rows: readonly Columns[],
): Promise<SubscriberPolicyRow[]> {
  if (rows.length === 0) return [];
  const usage = await peerUsageOf(
    db,
    rows.map((r) => r.id),
  );
  const held = rows.filter((r) => r.on_hold_days !== null && r.activated_at === null);
  const first = new Map<number, Date>();
  for (let i = 0; i < held.length; i += CHUNK) {
    const chunk = held.slice(i, i + CHUNK);
    // WireGuard reports handshakes in whole seconds: one in the second the subscriber was made
    // counts (compared at the millisecond it would be ignored, and the subscriber held forever).
    const since = new Map(
      chunk.map((r) => [r.id, Math.floor(r.created_at.getTime() / 1000) * 1000]),
    );
    const hs = await db
      .selectFrom('peers')
      .select(['subscriber_id', 'latest_handshake_at'])
      .where(
        'subscriber_id',
        'in',
        chunk.map((r) => r.id),
      )
      .where('latest_handshake_at', 'is not', null)
      .execute();
    for (const h of hs) {
      const id = h.subscriber_id as number;
      const at = h.latest_handshake_at as Date;
      if (at.getTime() < (since.get(id) ?? 0)) continue;
      const seen = first.get(id);
      if (!seen || at < seen) first.set(id, at);
    }
  }
  return rows.map(({ carried_rx, carried_tx, day_carried, ...r }) => {
    const u = usage.get(r.id);
    return {
      ...r,
      usage_rx: carried_rx + (u?.rx ?? 0n),
      usage_tx: carried_tx + (u?.tx ?? 0n),
      day_usage: day_carried + (u?.day ?? 0n),
      first_handshake_at: first.get(r.id) ?? null,
    };
  });
}
