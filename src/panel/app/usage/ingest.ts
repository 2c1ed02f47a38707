import { ingest, type PeerUsage } from '../../domain/ledger.js';
import { isAtThreshold, isOverLimit } from '../../domain/policy/evaluate.js';
import type { DumpSink, ObservedConfiguration } from '../sync/ports.js';
import { decideAndApply, type PolicyPass, type PolicyRunner } from './policy-runner.js';
import type { UsageStore, UsageUnitOfWork } from './ports.js';
import type { LedgerCache } from './ledger-cache.js';
import { flushBuffer, type MinuteBuffer } from './minute-buffer.js';
import type { LedgerRow, UsageSample, UsageUpdate } from './usage-row.js';
import { policySettingsOf, type UsageSettingsService } from './usage-settings.js';

export interface IngestDeps {
  readonly store: UsageStore;
  /** Rows kept between polls (see LedgerCache); also cleared by the policy runner. */
  readonly cache: LedgerCache;
  readonly settings: UsageSettingsService;
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
 * After commit: log lines, then the configuration converges.
 */
export function createIngestSink(deps: IngestDeps): DumpSink {
  /** Thrown inside the transaction to roll it back when the cache proved stale. */
  class StaleCache extends Error {}

  const run = async (observed: ObservedConfiguration, cached: boolean): Promise<PolicyPass> => {
    const settings = policySettingsOf(await deps.settings.get());
    const now = observed.observedAt;
    const id = observed.configurationId;
    const entry = cached
      ? deps.cache.lookup(
          id,
          observed.dump.peers.map((p) => p.public_key),
        )
      : undefined;
    if (cached && !entry) return run(observed, false);
    const bucket = minuteBucket(now).getTime();
    // Minutes before this poll's are over: their samples are written once, in this transaction.
    const closed = deps.buffer.take(id, bucket);
    let committed = false;
    try {
      const { pass, next, read, samples } = await deps.store.transaction(async (uow) => {
        const restarted = await interfaceRestarted(uow, id, observed);
        const read = entry ? [] : await uow.ledgerRows(id);
        const rows = entry ? entry.byKey : new Map(read.map((r) => [r.public_key, r]));
        const out = ledger(rows, observed, entry !== undefined, restarted);
        const written = await uow.addUsage(out.updates);
        if (entry && written !== out.updates.length) throw new StaleCache();
        if (closed) await uow.addSamples(closed.rows);
        // Read again in full (the usage just written included) only the few the policy may move.
        const full = await uow.peersByIds(out.candidates);
        const pass = await decideAndApply(uow, full, now, settings);
        return { pass, next: out.next, read, samples: out.samples };
      });
      committed = true;
      closed?.done(true);
      deps.buffer.add(id, bucket, samples);
      if (pass.changes.length > 0) deps.cache.forget(id);
      else if (entry) {
        entry.apply(next);
        entry.polls++;
      } else deps.cache.store(id, read).apply(next);
      return pass;
    } catch (err) {
      if (!committed) closed?.done(false);
      if (!(err instanceof StaleCache)) throw err;
      deps.cache.forget(id);
      return run(observed, false);
    }
  };

  return {
    name: 'usage-ingest',
    async onDump(observed: ObservedConfiguration) {
      const started = performance.now();
      const pass = await run(observed, true);
      if (deps.stopped?.()) await flushBuffer(deps.buffer, deps.store);
      await deps.policy.afterCommit(pass);
      deps.observe?.((performance.now() - started) / 1000);
    },
  };
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

/**
 * The ledger over one dump: writes for the peers that moved (guarded by the raw counters they
 * were computed from when `guarded`), their samples, the ids of peers whose new usage may change
 * their policy state, and the moved rows as they now read.
 */
export function ledger(
  byKey: ReadonlyMap<string, LedgerRow>,
  observed: ObservedConfiguration,
  guarded: boolean,
  restarted = false,
): { updates: UsageUpdate[]; samples: UsageSample[]; candidates: number[]; next: LedgerRow[] } {
  const next: LedgerRow[] = [];
  const updates: UsageUpdate[] = [];
  const samples: UsageSample[] = [];
  const candidates: number[] = [];
  for (const p of observed.dump.peers) {
    const row = byKey.get(p.public_key);
    if (row === undefined) continue; // not ours: the reconciler reports it
    const usage: PeerUsage = {
      periodRx: row.period_rx,
      periodTx: row.period_tx,
      lifetimeRx: 0n,
      lifetimeTx: 0n,
      lastRaw:
        row.last_raw_rx === null || row.last_raw_tx === null
          ? null
          : { rx: row.last_raw_rx, tx: row.last_raw_tx },
    };
    const raw = { rx: BigInt(p.transfer_rx), tx: BigInt(p.transfer_tx) };
    const r = ingest(usage, raw, restarted);
    // Endpoint and handshake only change with traffic, so they ride along with moved counters.
    if (r.usage === usage) continue;
    // Object literals of one fixed shape, no spreads: a spread of a row read from the driver
    // makes a dictionary-mode object (several times the size), 100,000 of them per poll at scale.
    next.push({
      id: row.id,
      public_key: row.public_key,
      last_raw_rx: raw.rx,
      last_raw_tx: raw.tx,
      period_rx: r.usage.periodRx,
      period_tx: r.usage.periodTx,
      traffic_limit: row.traffic_limit,
      traffic_warn_threshold: row.traffic_warn_threshold,
      traffic_warned: row.traffic_warned,
      status: row.status,
      restriction_reason: row.restriction_reason,
    });
    updates.push({
      id: row.id,
      deltaRx: r.deltaRx,
      deltaTx: r.deltaTx,
      rawRx: raw.rx,
      rawTx: raw.tx,
      endpoint: p.endpoint,
      latestHandshakeAt: p.latest_handshake ? new Date(p.latest_handshake * 1000) : null,
      expect: guarded && usage.lastRaw ? usage.lastRaw : undefined,
    });
    if (r.deltaRx + r.deltaTx > 0n) samples.push({ peerId: row.id, rx: r.deltaRx, tx: r.deltaTx });
    if (trafficMayDecide(row, r.usage.periodRx + r.usage.periodTx)) candidates.push(row.id);
  }
  return { updates, samples, candidates, next };
}

/** True when usage `total` may change the peer's traffic state (restrict, warn, restore). */
function trafficMayDecide(row: LedgerRow, total: bigint): boolean {
  const limit = row.traffic_limit;
  const over = isOverLimit(total, limit);
  if (row.status === 'active') {
    return over || isAtThreshold(total, limit, row.traffic_warn_threshold) !== row.traffic_warned;
  }
  return row.restriction_reason === 'traffic_limit' && !over;
}
