import type { Enforcement } from '../../../shared/wire/agent-api.js';
import { parseUtcDate } from '../../../shared/utc-date.js';
import { cutDelta } from '../../domain/ledger.js';
import { eventOfPolicy, type PeerEvent } from '../events/peer-event.js';
import { policySettingsOf, type PanelSettingsService } from '../settings/panel-settings.js';
import type { AgentCutSink, ObservedCuts } from '../sync/ports.js';
import { applied, decide } from './decide.js';
import { minuteBucket } from './ingest.js';
import { decideAndApply, type PolicyRunner } from './policy-runner.js';
import type { UsageStore, UsageUnitOfWork } from './ports.js';
import type { PolicyChange, UsagePeerRow } from './usage-row.js';

export interface AgentCutsDeps {
  readonly store: UsageStore;
  /** The ingest's cache: a configuration whose usage a cut changed is read again. */
  readonly cache: { forget(configurationId: number): void };
  readonly settings: PanelSettingsService;
  /** Logs the events after commit (the poll's reconcile converges the node). */
  readonly policy: Pick<PolicyRunner, 'afterCommit'>;
}

/**
 * Records the peers a node cut on its own while the panel was away (the dump's `enforcements`),
 * before the poll's ingest and reconcile, in one transaction: each record once (by its id, kept
 * in `agent_cuts` until the agent confirms it forgot it), the bytes the node counted up to the
 * cut added to the peer's usage exactly once (see `cutDelta`), the peer restricted with the
 * node's reason at the node's time (`at`; events carry that time and `by: "agent"`). Then the
 * panel's own policy runs at its `now`: a peer whose cause the panel had lifted meanwhile (a limit
 * raised while the node was cut off) is restored, and the reconcile puts it back.
 */
export function createAgentCutSink(deps: AgentCutsDeps): AgentCutSink {
  return {
    async record(observed: ObservedCuts) {
      const settings = policySettingsOf(await deps.settings.get());
      const id = observed.configurationId;
      const pass = await deps.store.transaction(async (uow) => {
        const known = await uow.recordedCuts(
          id,
          observed.cuts.map((c) => c.id),
        );
        const fresh = observed.cuts.filter((c) => !known.has(c.id));
        if (fresh.length === 0) return null;
        const rows = await uow.peersByKeys(id, [...new Set(fresh.map((c) => c.public_key))]);
        const byKey = new Map(rows.map((r) => [r.public_key, r]));
        const events: PeerEvent[] = [];
        const touched = new Set<number>();
        for (const cut of fresh) {
          const row = byKey.get(cut.public_key);
          if (!row) continue; // deleted since: nothing to record, the cut is still acknowledged
          const next = await applyCut(uow, row, cut, observed.observedAt, settings, events);
          byKey.set(cut.public_key, next);
          touched.add(row.id);
        }
        await uow.rememberCuts(
          id,
          fresh.map((c) => c.id),
          observed.observedAt,
        );
        await uow.insertEvents(events);
        // The panel's own decision now: restores a peer whose cause it lifted meanwhile.
        const now = await decideAndApply(
          uow,
          await uow.peersByIds([...touched]),
          observed.observedAt,
          settings,
        );
        return { ...now, events: [...events, ...now.events], touched: touched.size };
      }, observed.fence);
      if (!pass) return { changed: false };
      deps.cache.forget(id);
      await deps.policy.afterCommit({ ...pass, configurations: new Set() });
      return { changed: pass.touched > 0 };
    },

    acknowledged: (configurationId) => deps.store.forgetCuts(configurationId),
  };
}

/**
 * One record: its bytes into the peer's usage, the restriction at the node's time. Returns the
 * row as it now reads.
 */
async function applyCut(
  uow: UsageUnitOfWork,
  row: UsagePeerRow,
  cut: Enforcement,
  observedAt: Date,
  settings: ReturnType<typeof policySettingsOf>,
  events: PeerEvent[],
): Promise<UsagePeerRow> {
  const at = parseUtcDate(cut.at) ?? observedAt;
  const d = cutDelta(
    { epoch: row.totals_epoch, rx: row.last_total_rx, tx: row.last_total_tx },
    {
      epoch: cut.epoch,
      totalRx: BigInt(cut.total_rx),
      totalTx: BigInt(cut.total_tx),
      usedBytes: BigInt(cut.used_bytes),
    },
  );
  await uow.addCutUsage({
    id: row.id,
    deltaRx: d.deltaRx,
    deltaTx: d.deltaTx,
    totals: d.adopt
      ? { rx: BigInt(cut.total_rx), tx: BigInt(cut.total_tx), epoch: cut.epoch }
      : null,
  });
  if (d.deltaRx + d.deltaTx > 0n)
    await uow.addSamples([
      { peerId: row.id, bucketStart: minuteBucket(at), rx: d.deltaRx, tx: d.deltaTx },
    ]);
  let counted: UsagePeerRow = {
    ...row,
    period_rx: row.period_rx + d.deltaRx,
    period_tx: row.period_tx + d.deltaTx,
    ...(d.adopt && {
      last_total_rx: BigInt(cut.total_rx),
      last_total_tx: BigInt(cut.total_tx),
      totals_epoch: cut.epoch,
    }),
  };
  if (counted.status !== 'active') return counted; // restricted already: only the bytes count
  // The panel's policy as of the node's time; the node's reason when the panel would not have
  // cut then (its allowance was older than a change the node never heard of).
  const asOfCut = decide(counted, at, settings);
  let change: PolicyChange;
  let made: readonly PeerEvent[];
  if (asOfCut.change?.status === 'restricted') {
    change = asOfCut.change;
    made = asOfCut.events;
  } else {
    change = {
      id: row.id,
      status: 'restricted',
      restriction_reason: cut.reason,
      restricted_at: at,
      restricted_by_subscriber: false,
      traffic_warned: counted.traffic_warned,
      expiry_warned_for: counted.expiry_warned_for,
      period_started_at: counted.period_started_at,
      reset_usage: false,
      restored: false,
      throttled_at: counted.throttled_at === null ? undefined : null,
      day_started_at: counted.day_started_at,
      reset_day: false,
      download_warned: counted.download_warned,
      upload_warned: counted.upload_warned,
      daily_warned: counted.daily_warned,
    };
    made = [eventOfPolicy(peerRef(counted), { type: 'restricted', reason: cut.reason }, at)];
  }
  await uow.applyPolicy([change]);
  counted = applied(counted, change);
  for (const e of made) events.push({ ...e, values: { ...e.values, by: 'agent' } });
  return counted;
}

const peerRef = (r: UsagePeerRow) => ({
  id: r.id,
  name: r.name,
  publicKey: r.public_key,
  configurationId: r.configuration_id,
  nodeId: r.node_id,
});
