import type { Logger } from 'pino';
import { logPeerEvents } from '../events/event-log.js';
import type { PeerEvent } from '../events/peer-event.js';
import { decide } from './decide.js';
import { appliedSubscriber, decideSubscriber } from './decide-subscriber.js';
import { logSubscriberEvents, type SubscriberEvent } from '../events/subscriber-event.js';
import type { SubscriberEstimates } from './subscriber-estimates.js';
import type { SubscriberPolicyChange, SubscriberPolicyRow } from './subscriber-row.js';
import type { Converger, UsageStore, UsageUnitOfWork } from './ports.js';
import type { PolicyChange, UsagePeerRow } from './usage-row.js';
import { policySettingsOf, type PanelSettingsService } from '../settings/panel-settings.js';

/** Candidate rows the tick reads at a time. */
const CANDIDATES_PAGE = 2000;

/** What one policy pass did. */
export interface PolicyPass {
  readonly events: readonly PeerEvent[];
  readonly changes: readonly PolicyChange[];
  /**
   * Configurations whose node must hear of the pass: a peer restricted or restored (WireGuard),
   * or an allowance changed (a quota change, a usage reset): they converge, which also hands the
   * node its allowances again.
   */
  readonly configurations: ReadonlySet<number>;
  /** Subscriber decisions (restricted, restored, warnings, …), logged after commit. */
  readonly subscriberEvents?: readonly SubscriberEvent[];
}

/** A subscriber pass: the peers' pass, and the subscribers as they read after it. */
export interface SubscriberPass extends PolicyPass {
  readonly subscribers: readonly SubscriberPolicyRow[];
}

/** What an API change does first, in the subscriber pass's transaction. */
export interface SubscriberChangeStep {
  readonly subscriberEvents?: readonly SubscriberEvent[];
  readonly peerEvents?: readonly PeerEvent[];
  /** Peers to decide too (assigned or unassigned now). */
  readonly peerIds?: readonly number[];
  /** The peers' subscriber changed: the ingest's ledger cache must be read again. */
  readonly peersChanged?: boolean;
  /** Subscribers whose speeds changed: the nodes of all their peers must follow. */
  readonly reshape?: readonly number[];
}

/** A running poll's own reconcile step (see ObservedConfiguration.convergeAfter). */
export interface InPoll {
  readonly configurationId: number;
  readonly convergeAfter?: (() => void) | undefined;
}

export interface PolicyRunnerDeps {
  readonly store: UsageStore;
  readonly settings: PanelSettingsService;
  readonly converge: Converger;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Told how long each pass took (seconds), for /metrics. */
  readonly observe?: (seconds: number) => void;
  /**
   * How long a request or poll waits for the nodes to converge (default 3 s); a slower or absent
   * node goes on converging in the background, and the poller repairs it when it answers.
   */
  readonly convergeWaitMs?: number;
  /** Cleared after every pass that wrote (the ingest's cache of rows, see LedgerCache). */
  readonly cache?: { clear(): void };
  /** Called after every pass outside the ingest (the ticker re-plans its next pass). */
  readonly afterPass?: () => void;
  /** The ingest's subscriber totals, set from every subscriber read (see SubscriberEstimates). */
  readonly estimates?: SubscriberEstimates;
}

/**
 * Decides for rows already locked in a transaction and writes the decisions there (policy state,
 * events). Used by the ingest (same transaction as the usage) and by the use cases below.
 */
export async function decideAndApply(
  uow: UsageUnitOfWork,
  rows: readonly UsagePeerRow[],
  now: Date,
  settings: ReturnType<typeof policySettingsOf>,
): Promise<PolicyPass> {
  const events: PeerEvent[] = [];
  const changes: PolicyChange[] = [];
  const configurations = new Set<number>();
  for (const row of rows) {
    const d = decide(row, now, settings);
    if (d.change === null) continue;
    changes.push(d.change);
    events.push(...d.events);
    // Cut, restored, a new period, or throttled / back at full speed: the node must follow.
    if (
      d.change.status !== row.status ||
      d.change.reset_usage ||
      d.change.reset_day ||
      d.change.throttled_at !== undefined
    )
      configurations.add(row.configuration_id);
  }
  await uow.applyPolicy(changes);
  await uow.insertEvents(events);
  return { events, changes, configurations };
}

/**
 * Runs the policy outside the ingest: for given peers right after an API change (so raising a
 * limit restores within the request), and on the tick (expiry and resets need no traffic).
 * Each pass reads and locks the rows again in one transaction, so two passes never act twice for
 * one crossing: the state is in the row.
 */
export class PolicyRunner {
  constructor(private readonly deps: PolicyRunnerDeps) {}

  /**
   * Evaluates these peers now; `extra` runs first in the same transaction (the API's change).
   * `convergeWaitMs` overrides how long the nodes are waited for.
   */
  async runForPeers(
    ids: readonly number[],
    extra?: (uow: UsageUnitOfWork, now: Date) => Promise<readonly PeerEvent[]>,
    options: { readonly convergeWaitMs?: number } = {},
  ): Promise<PolicyPass> {
    const started = performance.now();
    const settings = policySettingsOf(await this.deps.settings.get());
    const now = this.deps.now();
    const pass = await this.deps.store.transaction(async (uow) => {
      const before = extra ? await extra(uow, now) : [];
      if (before.length > 0) await uow.insertEvents(before);
      const rows = await uow.peersByIds(ids);
      const p = await decideAndApply(uow, rows, now, settings);
      // A change of limit, expiry or usage moves the peers' allowances: their nodes hear of it.
      const configurations = new Set(p.configurations);
      if (extra) for (const r of rows) configurations.add(r.configuration_id);
      return { ...p, configurations, events: [...before, ...p.events] };
    });
    this.deps.cache?.clear();
    await this.afterCommit(pass, options.convergeWaitMs);
    this.deps.afterPass?.();
    this.deps.observe?.((performance.now() - started) / 1000);
    return pass;
  }

  /** One tick: every peer the policy may act on without traffic; acts only where state changes. */
  async tick(): Promise<PolicyPass> {
    const settings = policySettingsOf(await this.deps.settings.refresh());
    const now = this.deps.now();
    // Page by page: a fleet where every peer has a limit would otherwise hold them all at once.
    const due: number[] = [];
    let after = 0;
    let page: UsagePeerRow[];
    do {
      page = await this.deps.store.policyCandidates(after, CANDIDATES_PAGE);
      for (const r of page) if (decide(r, now, settings).change !== null) due.push(r.id);
      after = page.at(-1)?.id ?? after;
    } while (page.length === CANDIDATES_PAGE);
    const subscribers = await this.#dueSubscribers(now, settings);
    const peers =
      due.length === 0
        ? { events: [], changes: [], configurations: new Set<number>() }
        : await this.runForPeers(due);
    if (subscribers.length === 0) return peers;
    const sub = await this.runForSubscribers(subscribers);
    return {
      events: [...peers.events, ...sub.events],
      changes: [...peers.changes, ...sub.changes],
      configurations: new Set([...peers.configurations, ...sub.configurations]),
      subscriberEvents: sub.subscriberEvents ?? [],
    };
  }

  /** Subscribers the tick must decide (page by page); their estimates are set from the read. */
  async #dueSubscribers(
    now: Date,
    settings: ReturnType<typeof policySettingsOf>,
  ): Promise<number[]> {
    const due: number[] = [];
    let after = 0;
    let page: SubscriberPolicyRow[];
    do {
      const mark = this.deps.estimates?.mark() ?? 0;
      page = await this.deps.store.subscriberCandidates(after, CANDIDATES_PAGE);
      for (const r of page) {
        this.deps.estimates?.set(r, mark);
        if (decideSubscriber(r, now, settings).change !== null) due.push(r.id);
      }
      after = page.at(-1)?.id ?? after;
    } while (page.length === CANDIDATES_PAGE);
    return due;
  }

  /**
   * Decides these subscribers on their summed usage, in one transaction with the subscribers
   * locked; for each cut off, restored or whose reason changed, decides all its peers (on every
   * node) in the same transaction. `step` runs first (an API change). Then converges as
   * runForPeers does; `inPoll`: the configuration whose poll is running converges in its own
   * reconcile step instead.
   */
  async runForSubscribers(
    ids: readonly number[],
    step?: (uow: UsageUnitOfWork, now: Date) => Promise<SubscriberChangeStep>,
    options: { readonly convergeWaitMs?: number; readonly inPoll?: InPoll } = {},
  ): Promise<SubscriberPass> {
    const started = performance.now();
    const pass = await this.evaluateSubscribers(ids, step);
    const inPoll = options.inPoll;
    if (inPoll?.convergeAfter && pass.configurations.has(inPoll.configurationId)) {
      inPoll.convergeAfter();
      const rest = new Set(pass.configurations);
      rest.delete(inPoll.configurationId);
      await this.afterCommit({ ...pass, configurations: rest }, options.convergeWaitMs);
    } else await this.afterCommit(pass, options.convergeWaitMs);
    this.deps.afterPass?.();
    this.deps.observe?.((performance.now() - started) / 1000);
    return pass;
  }

  /** runForSubscribers without the logging and converging after it (the ingest does those). */
  async evaluateSubscribers(
    ids: readonly number[],
    step?: (uow: UsageUnitOfWork, now: Date) => Promise<SubscriberChangeStep>,
  ): Promise<SubscriberPass> {
    const settings = policySettingsOf(await this.deps.settings.get());
    const now = this.deps.now();
    const mark = this.deps.estimates?.mark() ?? 0;
    const { pass, peersChanged } = await this.deps.store.transaction(async (uow) => {
      const first = step ? await step(uow, now) : {};
      const rows = await uow.subscribersForPolicy(ids);
      const changes: SubscriberPolicyChange[] = [];
      const subscriberEvents: SubscriberEvent[] = [...(first.subscriberEvents ?? [])];
      const follow: number[] = [];
      const reshape = new Set(first.reshape ?? []);
      const after: SubscriberPolicyRow[] = [];
      for (const row of rows) {
        const d = decideSubscriber(row, now, settings);
        after.push(d.change ? appliedSubscriber(row, d.change) : row);
        if (d.change === null) continue;
        changes.push(d.change);
        subscriberEvents.push(...d.events);
        if (d.peersFollow) follow.push(row.id);
        if (d.reshape) reshape.add(row.id);
      }
      await uow.applySubscriberPolicy(changes);
      await uow.insertSubscriberEvents(subscriberEvents);
      if (first.peerEvents && first.peerEvents.length > 0) await uow.insertEvents(first.peerEvents);
      const peerIds = [
        ...new Set([...(await uow.peerIdsOfSubscribers(follow)), ...(first.peerIds ?? [])]),
      ];
      const peers = await decideAndApply(uow, await uow.peersByIds(peerIds), now, settings);
      // Throttled, back at full speed, or new speeds: every node of its peers shapes them anew.
      const configurations = new Set(peers.configurations);
      if (reshape.size > 0)
        for (const p of await uow.peersByIds(await uow.peerIdsOfSubscribers([...reshape])))
          configurations.add(p.configuration_id);
      return {
        pass: {
          ...peers,
          configurations,
          events: [...(first.peerEvents ?? []), ...peers.events],
          subscriberEvents,
          subscribers: after,
        },
        peersChanged: first.peersChanged === true || peers.changes.length > 0,
      };
    });
    if (peersChanged) this.deps.cache?.clear();
    for (const r of pass.subscribers) this.deps.estimates?.set(r, mark);
    return pass;
  }

  /** Logs the events and converges the configurations (a node that is down converges later). */
  async afterCommit(pass: PolicyPass, waitMs = this.deps.convergeWaitMs ?? 3000): Promise<void> {
    if (pass.subscriberEvents) logSubscriberEvents(this.deps.logger, pass.subscriberEvents);
    logPeerEvents(this.deps.logger, pass.events);
    if (pass.configurations.size === 0) return;
    const all = Promise.all(
      [...pass.configurations].map(async (id) => {
        try {
          await this.deps.converge.converge(id);
        } catch (err) {
          this.deps.logger.warn({ err, configuration_id: id }, 'converge after policy failed');
        }
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([all, waited]);
    clearTimeout(timer);
  }
}
