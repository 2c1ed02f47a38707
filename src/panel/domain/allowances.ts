import type { AllowancePeer, AllowancesPut } from '../../shared/wire/agent-api.js';

/** What the allowance of one peer is computed from (its `peers` columns). */
export interface AllowanceInput {
  readonly public_key: string;
  readonly status: 'active' | 'restricted';
  readonly traffic_limit: bigint | null;
  readonly period_rx: bigint;
  readonly period_tx: bigint;
  readonly expiry_date: Date | null;
  readonly last_total_rx: bigint | null;
  readonly last_total_tx: bigint | null;
  readonly totals_epoch: string | null;
  /** `throttle`: the node never cuts it for its bytes (the panel slows it down). */
  readonly on_limit?: 'restrict' | 'throttle';
  /** rx + tx per day, and the day's usage (see the policy's day). */
  readonly daily_limit?: bigint | null;
  readonly day_rx?: bigint;
  readonly day_tx?: bigint;
}

/**
 * The bytes one peer may still use in its period on this node, before the node may cut it
 * (null: no traffic limit). Today each peer's own limit − usage, never below 0.
 *
 * Seam for subscribers (issue 11): a subscriber on several nodes has one remainder for all of
 * them; its peers' share on this node (split by recent use) is computed by the caller and handed
 * in as another `RemainingOf`, so `allowancesFor` itself does not change.
 */
export type RemainingOf = (peer: AllowanceInput) => bigint | null;

const left = (limit: bigint, used: bigint) => (limit > used ? limit - used : 0n);

/**
 * A peer's own remainder: limit − period usage, and daily limit − the day's usage, whichever is
 * less, never below 0; null without either. A peer that is throttled over its limits
 * (`on_limit: throttle`) gets null: the node must not cut what the panel only slows down. The
 * download and upload quotas are not handed over (an allowance counts rx + tx): the panel
 * enforces them.
 */
export const ownRemaining: RemainingOf = (p) => {
  if (p.on_limit === 'throttle') return null;
  const period = p.traffic_limit === null ? null : left(p.traffic_limit, p.period_rx + p.period_tx);
  const daily = p.daily_limit ?? null;
  const day = daily === null ? null : left(daily, (p.day_rx ?? 0n) + (p.day_tx ?? 0n));
  if (period === null) return day;
  return day === null || period < day ? period : day;
};

/** Grace the node waits (silent panel) before enforcing by itself: 3 poll intervals. */
export function graceSeconds(pollIntervalMs: number): number {
  return Math.min(604_800, Math.max(1, Math.ceil((3 * pollIntervalMs) / 1000)));
}

/**
 * The allowances a node is handed for one interface after the panel counted it (pure). Per
 * active peer: the bytes left in its period (`remainingOf`: limit − usage, never below 0; null
 * without a limit)
 * counted from the totals the panel counted up to (`base_total`, when they are of the interface's
 * current `epoch`; else the node counts from its totals on arrival), and its expiry. Peers with
 * neither a limit nor a date are left out (nothing to enforce); restricted peers are not on the
 * node. An allowance only ever tightens what the panel decided: the node never re-adds a peer.
 */
export function allowancesFor(
  peers: readonly AllowanceInput[],
  epoch: string | null,
  pollIntervalMs: number,
  remainingOf: RemainingOf = ownRemaining,
): AllowancesPut {
  const out: AllowancePeer[] = [];
  for (const p of peers) {
    if (
      p.status !== 'active' ||
      (p.traffic_limit === null && (p.daily_limit ?? null) === null && p.expiry_date === null)
    )
      continue;
    const left = remainingOf(p);
    const counted =
      epoch !== null &&
      p.totals_epoch === epoch &&
      p.last_total_rx !== null &&
      p.last_total_tx !== null;
    out.push({
      public_key: p.public_key,
      remaining_bytes: left === null ? null : Number(left),
      ...(counted && {
        base_total: Number((p.last_total_rx as bigint) + (p.last_total_tx as bigint)),
      }),
      expires_at: p.expiry_date === null ? null : p.expiry_date.toISOString(),
    });
  }
  return {
    grace_seconds: graceSeconds(pollIntervalMs),
    ...(epoch !== null && { epoch }),
    peers: out,
  };
}
