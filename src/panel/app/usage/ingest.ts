import { observeCounters, observeTotals, type CounterObservation } from '../../domain/ledger.js';
import { isAtThreshold, isOverLimit } from '../../domain/policy/evaluate.js';
import type { DumpSink, ObservedConfiguration } from '../sync/ports.js';
import { decideAndApply, type PolicyPass, type PolicyRunner } from './policy-runner.js';
import type { UsageStore, UsageUnitOfWork } from './ports.js';
import { LedgerTable, type LedgerCache } from './ledger-cache.js';
import { flushBuffer, type MinuteBuffer } from './minute-buffer.js';
import { UsageBatch, type UsageSampleColumns } from './usage-row.js';
import type { SubscriberEstimates } from './subscriber-estimates.js';
import { policySettingsOf, type PanelSettingsService } from '../settings/panel-settings.js';

export interface IngestDeps {
  readonly store: UsageStore;
  /** Rows kept between polls (see LedgerCache); also cleared by the policy runner. */
  readonly cache: LedgerCache;
  readonly settings: PanelSettingsService;
  readonly policy: PolicyRunner;
  /** Minute samples until their minute is over (see MinuteBuffer). */
  readonly buffer: MinuteBuffer;
  /**
   * True once the area stopped (its last flush began): a poll still landing then writes its
   * samples at once instead of leaving them in memory.
   */
  readonly stopped?: () => boolean;
  /** Told how long each configuration's ingest took (seconds), for /metrics. */
  readonly observe?: (seconds: number) => void;
  /** Each subscriber's total across every node (see SubscriberEstimates); shared with the policy. */
  readonly estimates?: SubscriberEstimates;
}

/**
 * A poll's bytes per peer that belongs to a subscriber (no object per peer): the first `count`
 * entries are set; `handshake` 1 when the dump shows a handshake of that peer.
 */
export interface SubscriberDeltas {
  readonly count: number;
  readonly subscriberIds: Float64Array;
  readonly bytes: BigInt64Array;
  readonly handshake: Uint8Array;
}

/** The start of the UTC minute `at` falls in. */
export function minuteBucket(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/**
 * The usage ingest, a DumpSink (first in the poll's order). For each observed configuration, in
 * one transaction: the ledger per peer (matched by public key; a first observation is a
 * baseline), one batched write for the peers whose counters moved (a peer that did not move costs
 * nothing), the minute samples of minutes now over (a poll's samples are kept in memory until
 * their minute ends, see MinuteBuffer), then the policy for every peer whose traffic may change its
 * state (over the limit, across the warning threshold, back under a limit), so a peer over its
 * quota is cut within this poll. Time-driven decisions (expiry, reset schedules) are the tick's.
 * After commit: log lines, then the configuration converges (in the poll's own reconcile step).
 */
export function createIngestSink(deps: IngestDeps): DumpSink {
  /** Thrown inside the transaction to roll it back when the cache proved stale. */
  class StaleCache extends Error {}

  const run = async (
    observed: ObservedConfiguration,
    cached: boolean,
  ): Promise<{ pass: PolicyPass; subscribers: SubscriberDeltas }> => {
    const settings = policySettingsOf(await deps.settings.get());
    const now = observed.observedAt;
    const id = observed.configurationId;
    const generation = deps.cache.generation;
    const entry = cached ? deps.cache.lookup(id, observed.dump.peers) : undefined;
    if (cached && !entry) return run(observed, false);
    // The table changes as the ledger runs: nobody else uses it until this poll is settled.
    if (entry) entry.busy = true;
    const bucket = minuteBucket(now).getTime();
    // Minutes before this poll's are over: their samples are written once, in this transaction.
    const closed = deps.buffer.take(id, bucket);
    let committed = false;
    try {
      const { pass, table, samples, subscribers } = await deps.store.transaction(async (uow) => {
        const restarted = await interfaceRestarted(uow, id, observed);
        const table = entry ?? new LedgerTable(await uow.ledgerRows(id));
        const out = await ledger(table, observed, entry !== undefined, restarted, async (u) => {
          const written = await uow.addUsage(u);
          if (entry && written !== u.count) throw new StaleCache();
        });
        if (closed) await uow.addSamples(closed.rows);
        // Read again in full (the usage just written included) only the few the policy may move.
        const full = await uow.peersByIds(out.candidates);
        const pass = await decideAndApply(uow, full, now, settings);
        return { pass, table, samples: out.samples, subscribers: out.subscribers };
      }, observed.fence);
      committed = true;
      closed?.done(true);
      deps.buffer.add(id, bucket, samples);
      if (pass.changes.length > 0) deps.cache.forget(id);
      else {
        if (entry) entry.polls++;
        deps.cache.store(id, table, generation);
      }
      return { pass, subscribers };
    } catch (err) {
      if (!committed) closed?.done(false);
      // The table may hold what was rolled back: read again next time.
      if (entry) deps.cache.forget(id);
      if (!(err instanceof StaleCache)) throw err;
      return run(observed, false);
    } finally {
      if (entry) entry.busy = false;
    }
  };

  return {
    name: 'usage-ingest',
    async onDump(observed: ObservedConfiguration) {
      const started = performance.now();
      const ran = await run(observed, true);
      let pass = ran.pass;
      if (deps.stopped?.()) await flushBuffer(deps.buffer, deps.store);
      // Subscribers whose total across every node may cross now: decided (their peers on every
      // node too) right after this commit, within this poll.
      const due = deps.estimates ? await dueSubscribers(deps, ran.subscribers) : [];
      if (due.length > 0) {
        const sub = await deps.policy.evaluateSubscribers(due);
        pass = {
          events: [...pass.events, ...sub.events],
          changes: [...pass.changes, ...sub.changes],
          configurations: new Set([...pass.configurations, ...sub.configurations]),
          subscriberEvents: sub.subscriberEvents ?? [],
        };
      }
      // This poll's reconcile step runs next: it repairs the node for the peers just restricted
      // or restored (asking ConvergeNow here would wait for this very poll).
      const inPoll = observed.convergeAfter;
      if (inPoll && pass.configurations.has(observed.configurationId)) {
        inPoll();
        const rest = new Set(pass.configurations);
        rest.delete(observed.configurationId);
        await deps.policy.afterCommit({ ...pass, configurations: rest });
      } else await deps.policy.afterCommit(pass);
      deps.observe?.((performance.now() - started) / 1000);
    },
  };
}

/**
 * The poll's subscriber bytes added to the estimates; subscribers without one are read first
 * (after the commit, so the read includes this poll). Answers those the policy must decide.
 */
async function dueSubscribers(deps: IngestDeps, d: SubscriberDeltas): Promise<number[]> {
  const estimates = deps.estimates as SubscriberEstimates;
  const due = new Set<number>();
  const unknown = new Map<number, boolean>();
  for (let k = 0; k < d.count; k++) {
    const id = d.subscriberIds[k] as number;
    const handshake = d.handshake[k] === 1;
    const r = estimates.add(id, d.bytes[k] as bigint, handshake);
    if (r === 'unknown') unknown.set(id, (unknown.get(id) ?? false) || handshake);
    else if (r) due.add(id);
  }
  if (unknown.size > 0) {
    const mark = estimates.mark();
    for (const row of await deps.store.subscribersWithUsage([...unknown.keys()]))
      if (estimates.set(row, mark, unknown.get(row.id))) due.add(row.id);
  }
  return [...due];
}

/**
 * True when the node's interface was re-created since the raw counters were last read (the dump
 * names another incarnation): every counter restarted from zero, even one that already climbed
 * past its old value, which a decrease alone cannot reveal. Remembers the new incarnation.
 */
async function interfaceRestarted(
  uow: Pick<UsageUnitOfWork, 'countersInstance' | 'setCountersInstance'>,
  configurationId: number,
  observed: ObservedConfiguration,
): Promise<boolean> {
  const seen = observed.dump.interface.instance ?? null;
  if (seen === null) return false; // an agent that does not say: decreases still count
  const known = await uow.countersInstance(configurationId);
  if (known === seen) return false;
  await uow.setCountersInstance(configurationId, seen);
  return known !== null;
}

/** Updates handed to the store at a time: the poll's garbage stays small and short-lived. */
const WRITE_CHUNK = 1000;

/**
 * The ledger over one dump, on `table` (changed in place: raw counters, the agent's totals and
 * period usage of the peers that moved). A peer with totals in the dump is counted by them within
 * the epoch it was last counted in, by its raw counters otherwise (see observeTotals). Hands the writes for the peers that moved to `write` in chunks (guarded by the
 * raw counters they were computed from when `guarded`); returns their samples and the ids of peers
 * whose new usage may change their policy state.
 */
export async function ledger(
  table: LedgerTable,
  observed: ObservedConfiguration,
  guarded: boolean,
  restarted: boolean,
  write: (updates: UsageBatch) => Promise<void>,
): Promise<{ samples: UsageSampleColumns; candidates: number[]; subscribers: SubscriberDeltas }> {
  const peers = observed.dump.peers;
  const subscribers = {
    count: 0,
    subscriberIds: new Float64Array(peers.length),
    bytes: new BigInt64Array(peers.length),
    handshake: new Uint8Array(peers.length),
  };
  const samples = {
    count: 0,
    peerIds: new Float64Array(peers.length),
    rx: new BigInt64Array(peers.length),
    tx: new BigInt64Array(peers.length),
  };
  const candidates: number[] = [];
  const o: CounterObservation = { deltaRx: 0n, deltaTx: 0n, moved: false };
  const stored: { epoch: string | null; rx: bigint | null; tx: bigint | null } = {
    epoch: null,
    rx: null,
    tx: null,
  };
  const epoch = observed.dump.interface.epoch ?? null;
  // One batch of columns, handed to `write` whenever full and refilled (see UsageBatch).
  const updates = new UsageBatch(Math.min(WRITE_CHUNK, Math.max(1, peers.length)));
  // Endpoint and handshake only change with traffic, so they ride along with moved counters; a
  // poll's handshakes share few distinct seconds, so one Date per distinct second.
  let stamp = -1;
  let stampDate: Date | null = null;
  for (const p of peers) {
    const slot = table.slotOf(p.public_key);
    if (slot === undefined) continue; // not ours: the reconciler reports it
    const hadRaw = table.hasRaw(slot);
    const lastRx = hadRaw ? (table.lastRx[slot] as bigint) : null;
    const lastTx = hadRaw ? (table.lastTx[slot] as bigint) : null;
    const rawRx = BigInt(p.transfer_rx);
    const rawTx = BigInt(p.transfer_tx);
    // An agent with its own ledger sends totals: counted by them (see observeTotals).
    const withTotals = epoch !== null && p.total_rx !== undefined && p.total_tx !== undefined;
    const totalRx = withTotals ? BigInt(p.total_rx as number) : null;
    const totalTx = withTotals ? BigInt(p.total_tx as number) : null;
    if (withTotals) {
      const known = table.epochOf(slot);
      stored.epoch = known;
      stored.rx = known === null ? null : (table.totalRx[slot] as bigint);
      stored.tx = known === null ? null : (table.totalTx[slot] as bigint);
      const tRx = totalRx as bigint;
      const tTx = totalTx as bigint;
      observeTotals(o, lastRx, lastTx, rawRx, rawTx, restarted, stored, epoch, tRx, tTx);
    } else observeCounters(o, lastRx, lastTx, rawRx, rawTx, restarted);
    if (!o.moved) continue;
    const peerId = table.ids[slot] as number;
    if (p.latest_handshake && p.latest_handshake !== stamp) {
      stamp = p.latest_handshake;
      stampDate = new Date(stamp * 1000);
    }
    const row = updates.add(peerId, o.deltaRx, o.deltaTx, rawRx, rawTx);
    if (withTotals) {
      updates.totalRx[row] = totalRx;
      updates.totalTx[row] = totalTx;
      updates.epoch[row] = epoch;
    }
    updates.endpoint[row] = p.endpoint;
    updates.latestHandshakeAt[row] = p.latest_handshake ? stampDate : null;
    if (guarded && lastRx !== null && lastTx !== null) {
      updates.expectRx[row] = lastRx;
      updates.expectTx[row] = lastTx;
    }
    table.record(slot, rawRx, rawTx, o.deltaRx, o.deltaTx);
    table.recordTotals(slot, withTotals ? epoch : null, totalRx ?? 0n, totalTx ?? 0n);
    if (o.deltaRx + o.deltaTx > 0n) {
      const k = samples.count++;
      samples.peerIds[k] = peerId;
      samples.rx[k] = o.deltaRx;
      samples.tx[k] = o.deltaTx;
    }
    const sub = table.subscriber[slot] as number;
    if (sub !== 0) {
      const k = subscribers.count++;
      subscribers.subscriberIds[k] = sub;
      subscribers.bytes[k] = o.deltaRx + o.deltaTx;
      subscribers.handshake[k] = p.latest_handshake ? 1 : 0;
    }
    if (trafficMayDecide(table, slot)) candidates.push(peerId);
    if (updates.full) {
      await write(updates);
      updates.clear();
    }
  }
  if (updates.count > 0) await write(updates);
  return { samples, candidates, subscribers };
}

/** True when the peer's usage (as `table` now holds it) may change its traffic state. */
function trafficMayDecide(table: LedgerTable, slot: number): boolean {
  if (table.hasGranularQuota(slot)) return true;
  const limit = table.limitOf(slot);
  if (limit === null && !table.isWarned(slot) && !table.isRestrictedForTraffic(slot)) return false;
  const total = (table.periodRx[slot] as bigint) + (table.periodTx[slot] as bigint);
  const over = isOverLimit(total, limit);
  if (table.isActive(slot)) {
    return (
      over ||
      isAtThreshold(total, limit, table.warnThreshold[slot] as number) !== table.isWarned(slot)
    );
  }
  return table.isRestrictedForTraffic(slot) && !over;
}
