import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { PanelError } from '../errors.js';
import { PeerQuotas } from './peer-quotas.js';
import { PolicyRunner } from './policy-runner.js';
import type { PeerDirectory, PeerQuotaPatch, UsageStore, UsageUnitOfWork } from './ports.js';
import { parseQuotaChange } from './quota-change.js';
import type { PolicyChange, UsagePeerRow } from './usage-row.js';
import { usagePeerRow } from './testing/usage-peer-row.js';
import { DEFAULT_PANEL_SETTINGS, type PanelSettingsService } from '../settings/panel-settings.js';

const NOW = new Date('2026-11-27T12:00:00Z');

const row = usagePeerRow;

const unsupported = (): never => {
  throw new Error('not used by quota changes');
};

/** Peers in memory; a transaction works on a copy and commits it only when `work` resolves. */
function world(rows: UsagePeerRow[]) {
  let table = new Map(rows.map((r) => [r.id, r]));
  const seen = { converged: [] as number[], cleared: 0, nudged: 0, events: [] as string[] };
  const store: UsageStore = {
    policyCandidates: async () => [...table.values()],
    nextExpiry: async () => null,
    forgetCuts: unsupported,
    subscriberCandidates: async () => [],
    subscribersWithUsage: async () => [],
    async transaction(work) {
      const draft = new Map(table);
      const events: string[] = [];
      const uow = {
        peersByIds: async (ids: readonly number[]) =>
          ids.flatMap((id) => (draft.has(id) ? [draft.get(id) as UsagePeerRow] : [])),
        async updatePeers(ids: readonly number[], patch: PeerQuotaPatch) {
          for (const id of ids) draft.set(id, { ...(draft.get(id) as UsagePeerRow), ...patch });
        },
        async applyPolicy(changes: readonly PolicyChange[]) {
          for (const c of changes) {
            const r = draft.get(c.id) as UsagePeerRow;
            draft.set(c.id, {
              ...r,
              status: c.status,
              restriction_reason: c.restriction_reason,
              traffic_warned: c.traffic_warned,
              expiry_warned_for: c.expiry_warned_for,
              period_started_at: c.period_started_at,
            });
          }
        },
        insertEvents: async (e: readonly { type: string }[]) =>
          void events.push(...e.map((x) => x.type)),
        countersInstance: unsupported,
        setCountersInstance: unsupported,
        ledgerRows: unsupported,
        addUsage: unsupported,
        addSamples: unsupported,
        peersByKeys: unsupported,
        recordedCuts: unsupported,
        rememberCuts: unsupported,
        addCutUsage: unsupported,
        subscribersForPolicy: async () => [],
        applySubscriberPolicy: async () => undefined,
        insertSubscriberEvents: async () => undefined,
        peerIdsOfSubscribers: async () => [],
        updateSubscribers: unsupported,
      } satisfies UsageUnitOfWork;
      const out = await work(uow);
      table = draft;
      seen.events.push(...events);
      return out;
    },
  };
  const directory: PeerDirectory = {
    configurationByName: async (name) => (name === 'wg0' ? { id: 1, nodeId: 1 } : null),
    peerIdsByKeys: async (_c, keys) =>
      new Map(
        [...table.values()]
          .filter((r) => keys.includes(r.public_key))
          .map((r) => [r.public_key, r.id]),
      ),
  };
  const settings = {
    get: async () => DEFAULT_PANEL_SETTINGS,
    refresh: async () => DEFAULT_PANEL_SETTINGS,
  } as Pick<PanelSettingsService, 'get' | 'refresh'> as PanelSettingsService;
  const policy = new PolicyRunner({
    store,
    settings,
    converge: { converge: async (id) => void seen.converged.push(id) },
    logger: pino({ level: 'silent' }),
    now: () => NOW,
    cache: { clear: () => void seen.cleared++ },
    afterPass: () => void seen.nudged++,
  });
  const quotas = new PeerQuotas({ directory, store, policy });
  return { quotas, seen, peer: (id: number) => table.get(id) as UsagePeerRow };
}

describe('PeerQuotas.change (the one quota path)', () => {
  it('restricts a peer whose limit is lowered below its usage, within the call, and converges', async () => {
    const w = world([row(1)]);
    const { rows, pass } = await w.quotas.change([1], parseQuotaChange({ traffic_limit: 999 }));
    expect(rows[0]).toMatchObject({ status: 'restricted', restriction_reason: 'traffic_limit' });
    expect(pass.configurations).toEqual(new Set([1]));
    expect(w.seen.converged).toEqual([1]);
    expect(w.seen.cleared).toBe(1); // the ingest's cache no longer holds the old limit
    expect(w.seen.nudged).toBe(1); // the ticker re-plans its next pass
    expect(w.seen.events).toEqual(['warning', 'exceeded', 'restricted']);
  });

  it('restores it when the limit is raised or cleared ("" as null)', async () => {
    const w = world([
      row(1, { traffic_limit: 10n, status: 'restricted', restriction_reason: 'traffic_limit' }),
    ]);
    const { rows } = await w.quotas.change([1], parseQuotaChange({ traffic_limit: '' }));
    expect(rows[0]).toMatchObject({ status: 'active', traffic_limit: null });
    expect(w.seen.converged).toEqual([1]);
  });

  it('takes a limit of 0 as zero bytes: a peer that used nothing is cut at once', async () => {
    const w = world([row(1, { period_rx: 0n, period_tx: 0n })]);
    const { rows } = await w.quotas.change([1], parseQuotaChange({ traffic_limit: 0 }));
    expect(rows[0]).toMatchObject({ traffic_limit: 0n, status: 'restricted' });
  });

  it('cuts at a past expiry and restores when it is cleared; a new date forgets the old warning', async () => {
    const w = world([row(1, { expiry_warned_for: new Date('2026-11-28T00:00:00Z') })]);
    await w.quotas.change([1], parseQuotaChange({ expiry_date: '2026-11-27T11:00:00' }));
    expect(w.peer(1)).toMatchObject({ status: 'restricted', restriction_reason: 'expired' });
    expect(w.peer(1).expiry_warned_for).toBeNull();
    await w.quotas.change([1], parseQuotaChange({ expiry_date: null }));
    expect(w.peer(1)).toMatchObject({ status: 'active', expiry_date: null });
  });

  it('restarts the period only on peers whose schedule changes, and refuses a bad anchor writing nothing', async () => {
    const w = world([row(1), row(2, { reset_schedule: 'monthly', reset_anchor: 1 })]);
    const started2 = w.peer(2).period_started_at;
    await w.quotas.change([1, 2], parseQuotaChange({ reset_schedule: 'monthly', reset_anchor: 1 }));
    expect(w.peer(1).period_started_at).toEqual(NOW);
    expect(w.peer(2).period_started_at).toEqual(started2);
    // An anchor alone keeps each peer's schedule: 9 is no weekday, so the weekly peer refuses it.
    const w2 = world([row(1, { reset_schedule: 'monthly' }), row(2, { reset_schedule: 'weekly' })]);
    const err = await w2.quotas
      .change([1, 2], parseQuotaChange({ reset_anchor: 9 }))
      .catch((e: PanelError) => e);
    expect(err).toMatchObject({ code: 'invalid_input', subject: 'reset_anchor' });
    expect(w2.peer(1).reset_anchor).toBeNull();
  });

  it('runs the policy alone for an empty change (peers created with quota fields)', async () => {
    const w = world([row(1, { traffic_limit: 0n })]);
    const { rows } = await w.quotas.change([1], {});
    expect(rows[0]?.status).toBe('restricted');
  });
});

describe('parseQuotaChange', () => {
  it('reads every path the same way: null and "" clear, 0 is bytes, units are taken', () => {
    expect(parseQuotaChange({ traffic_limit: null, expiry_date: '' })).toEqual({
      trafficLimit: null,
      expiryDate: null,
    });
    expect(parseQuotaChange({ traffic_limit: 0 })).toEqual({ trafficLimit: 0n });
    expect(parseQuotaChange({ traffic_limit: '1KiB' })).toEqual({ trafficLimit: 1024n });
    expect(parseQuotaChange({})).toEqual({});
  });

  it('names the field of a bad value', () => {
    const field = (input: object, names = {}) => {
      try {
        parseQuotaChange(input, names);
        return null;
      } catch (e) {
        return (e as PanelError).subject;
      }
    };
    expect(field({ traffic_limit: -1 })).toBe('traffic_limit');
    expect(field({ traffic_limit: true })).toBe('traffic_limit');
    expect(field({ expiry_date: '2026-02-30' })).toBe('expiry_date');
    expect(field({ traffic_warn_threshold: 0 })).toBe('traffic_warn_threshold');
    expect(field({ traffic_warn_threshold: 101 }, { threshold: 'threshold' })).toBe('threshold');
    expect(field({ reset_schedule: 'yearly' })).toBe('reset_schedule');
    expect(field({ reset_anchor: 32 })).toBe('reset_anchor');
  });
});
