import { manualSubscriberEvent, type SubscriberEvent } from '../events/subscriber-event.js';
import { isOnHold } from '../../domain/policy/evaluate-subscriber.js';
import { notFound } from '../errors.js';
import type { SubscriberPass, PolicyRunner } from './policy-runner.js';
import { quotaPatchFor, type QuotaChange } from './quota-change.js';
import type { UsageUnitOfWork } from './ports.js';
import type {
  SubscriberPolicyChange,
  SubscriberPolicyRow,
  SubscriberQuotaPatch,
} from './subscriber-row.js';

/** How long a request waits for the nodes to follow (as PeerQuotas). */
const API_WAIT = { convergeWaitMs: 10_000 } as const;

/** A subscriber's quota change: the peers' fields, plus its hold, plus extending its date. */
export interface SubscriberQuotaChange extends QuotaChange {
  /** null = off. */
  readonly onHoldDays?: number | null;
  /** Moves the expiry date this many days later (from now when passed); none stays none. */
  readonly extendDays?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** The state as it is (for a change written by hand: restrict, allow, reset). */
const stateOf = (r: SubscriberPolicyRow): SubscriberPolicyChange => ({
  id: r.id,
  status: r.status,
  restriction_reason: r.restriction_reason,
  restricted_at: undefined,
  traffic_warned: r.traffic_warned,
  expiry_warned_for: r.expiry_warned_for,
  period_started_at: r.period_started_at,
  expiry_date: r.expiry_date,
  activated_at: r.activated_at,
  reset_usage: false,
  throttled_at: undefined,
  day_started_at: r.day_started_at,
  reset_day: false,
  download_warned: r.download_warned,
  upload_warned: r.upload_warned,
  daily_warned: r.daily_warned,
});

/**
 * Owns every change of a subscriber's quota, hold, restriction and period usage, as PeerQuotas
 * does for peers: the change and the policy it triggers (the subscriber's, then its peers' on
 * every node) in one transaction, then the nodes converge before the answer.
 */
export class SubscriberQuotas {
  constructor(private readonly policy: PolicyRunner) {}

  /** Applies a quota change to these subscribers (all must exist: 404 naming the first missing). */
  change(ids: readonly number[], change: SubscriberQuotaChange): Promise<SubscriberPass> {
    return this.#run(ids, async (uow, rows, now) => {
      const groups = new Map<string, { patch: SubscriberQuotaPatch; ids: number[] }>();
      for (const row of rows) {
        const patch = patchFor(row, change, now);
        const key = JSON.stringify(patch, (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : v,
        );
        const g = groups.get(key) ?? { patch, ids: [] };
        g.ids.push(row.id);
        groups.set(key, g);
      }
      for (const g of groups.values()) await uow.updateSubscribers(g.ids, g.patch);
      return { reshape: reshapes(change) ? ids : [] };
    });
  }

  /** Runs the policy for these subscribers and these peers (just assigned, unassigned or created). */
  peersChanged(ids: readonly number[], peerIds: readonly number[]): Promise<SubscriberPass> {
    return this.#run(ids, async () => ({ peerIds, peersChanged: true }));
  }

  /** Restricts by hand (reason `manual`): stays until allowed; its peers are cut off with it. */
  restrict(id: number): Promise<SubscriberPass> {
    return this.#run([id], async (uow, [row], now) => {
      const r = row as SubscriberPolicyRow;
      if (r.status === 'restricted' && r.restriction_reason === 'manual') return {};
      await uow.applySubscriberPolicy([
        { ...stateOf(r), status: 'restricted', restriction_reason: 'manual', restricted_at: now },
      ]);
      return {
        subscriberEvents: [manualSubscriberEvent(r, 'restricted', { reason: 'manual' }, now)],
        peerIds: await uow.peerIdsOfSubscribers([r.id]),
      };
    });
  }

  /** Lifts any restriction; the policy then cuts it again if a cause still holds. */
  allow(id: number): Promise<SubscriberPass> {
    return this.#run([id], async (uow, [row], now) => {
      const r = row as SubscriberPolicyRow;
      if (r.status !== 'restricted') return {};
      await uow.applySubscriberPolicy([
        {
          ...stateOf(r),
          status: isOnHold({ onHoldDays: r.on_hold_days, activatedAt: r.activated_at })
            ? 'on_hold'
            : 'active',
          restriction_reason: null,
          restricted_at: null,
        },
      ]);
      const previous = r.restriction_reason;
      return {
        subscriberEvents: [
          manualSubscriberEvent(r, 'restored', { previous_reason: previous }, now),
        ],
        peerIds: await uow.peerIdsOfSubscribers([r.id]),
      };
    });
  }

  /** Starts its period again from zero now (every node); one `reset` event. */
  resetUsage(id: number): Promise<SubscriberPass> {
    return this.#run([id], async (uow, [row], now) => {
      const r = row as SubscriberPolicyRow;
      await uow.applySubscriberPolicy([
        { ...stateOf(r), period_started_at: now, traffic_warned: false, reset_usage: true },
      ]);
      const before = String(r.usage_rx + r.usage_tx);
      return {
        subscriberEvents: [manualSubscriberEvent(r, 'reset', { usage_before: before }, now)],
        peerIds: await uow.peerIdsOfSubscribers([r.id]),
      };
    });
  }

  async #run(
    ids: readonly number[],
    step: (
      uow: UsageUnitOfWork,
      rows: SubscriberPolicyRow[],
      now: Date,
    ) => Promise<{
      subscriberEvents?: SubscriberEvent[];
      peerIds?: readonly number[];
      peersChanged?: boolean;
      reshape?: readonly number[];
    }>,
  ): Promise<SubscriberPass> {
    return this.policy.runForSubscribers(
      ids,
      async (uow, now) => {
        const rows = await uow.subscribersForPolicy(ids);
        const missing = ids.find((id) => !rows.some((r) => r.id === id));
        if (missing !== undefined) throw notFound('subscriber', missing);
        return step(uow, rows, now);
      },
      API_WAIT,
    );
  }
}

/** True when the change moves its peers' speeds (limits, throttle, throttle speeds). */
function reshapes(change: SubscriberQuotaChange): boolean {
  return (
    change.downloadBps !== undefined ||
    change.uploadBps !== undefined ||
    change.onLimit !== undefined ||
    change.throttleDownloadBps !== undefined ||
    change.throttleUploadBps !== undefined
  );
}

/** What a change writes to one subscriber (see quotaPatchFor); pure. */
export function patchFor(
  row: SubscriberPolicyRow,
  change: SubscriberQuotaChange,
  now: Date,
): SubscriberQuotaPatch {
  let expiry = change.expiryDate;
  if (change.extendDays !== undefined && row.expiry_date !== null) {
    const from = Math.max(row.expiry_date.getTime(), now.getTime());
    expiry = new Date(from + change.extendDays * DAY_MS);
  }
  const patch: { -readonly [K in keyof SubscriberQuotaPatch]: SubscriberQuotaPatch[K] } = {
    ...quotaPatchFor(row, { ...change, ...(expiry !== undefined && { expiryDate: expiry }) }, now),
  };
  if (change.onHoldDays !== undefined) patch.on_hold_days = change.onHoldDays;
  return patch;
}
