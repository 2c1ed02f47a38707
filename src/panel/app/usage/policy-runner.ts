import type { Logger } from 'pino';
import { logPeerEvents } from '../events/event-log.js';
import type { PeerEvent } from '../events/peer-event.js';
import { decide } from './decide.js';
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
    if (d.change.status !== row.status || d.change.reset_usage)
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
    if (due.length === 0) return { events: [], changes: [], configurations: new Set() };
    return this.runForPeers(due);
  }

  /** Logs the events and converges the configurations (a node that is down converges later). */
  async afterCommit(pass: PolicyPass, waitMs = this.deps.convergeWaitMs ?? 3000): Promise<void> {
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
