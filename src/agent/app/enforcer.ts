import type { AgentCutReason, Enforcement } from '../../shared/wire/agent-api.js';
import {
  cutReason,
  panelAway,
  type Allowance,
  type InterfaceAllowances,
} from '../ledger/allowance.js';
import {
  serializeEnforcement,
  type EnforcementRecord,
  type EnforcementState,
} from '../ledger/enforcement-file.js';
import type { InterfaceTotals } from '../ledger/interface-totals.js';

/** A peer to cut now, and why. */
export interface DueCut {
  readonly publicKey: string;
  readonly reason: AgentCutReason;
  readonly allowance: Allowance;
}

/**
 * The agent's own enforcement: the panel's allowances per interface, when the panel was last
 * heard from, and the records of what the agent cut while it was away (kept until acknowledged).
 * Decisions only; the read loop removes the peers. Every change of allowances or records is saved
 * (the save function writes the enforcement file; saves run one after another, the last one
 * holding the latest state).
 */
export class Enforcer {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: (text: string) => Promise<void>,
    /** Unix ms of the panel's last authenticated call. */
    public heardAt: number,
    private readonly allowances = new Map<string, InterfaceAllowances>(),
    private records: EnforcementRecord[] = [],
  ) {}

  /** The panel called. */
  heard(now: number): void {
    if (now > this.heardAt) this.heardAt = now;
  }

  /** Replaces the interface's allowances (a new set replaces the old one whole). */
  setAllowances(iface: string, a: InterfaceAllowances): Promise<void> {
    this.allowances.set(iface, a);
    return this.persist();
  }

  allowancesOf(iface: string): InterfaceAllowances | undefined {
    return this.allowances.get(iface);
  }

  /** The interface was deleted: its allowances go (its records stay until acknowledged). */
  interfaceDeleted(iface: string): Promise<void> {
    return this.allowances.delete(iface) ? this.persist() : Promise.resolve();
  }

  /**
   * The peers of the interface's latest reading to cut now: only while the panel is away longer
   * than its grace, only peers with an allowance they crossed (or whose date passed), only in
   * the epoch the allowances were counted in.
   */
  due(iface: string, totals: InterfaceTotals, now: number): DueCut[] {
    const a = this.allowances.get(iface);
    if (!a || a.peers.size === 0 || !panelAway(this.heardAt, a.graceMs, now)) return [];
    if (a.epoch !== totals.epoch) return [];
    const cuts: DueCut[] = [];
    for (const [key, allowance] of a.peers) {
      if (!totals.isPresent(key)) continue;
      const reason = cutReason(allowance, totals.used(key), now);
      if (reason) cuts.push({ publicKey: key, reason, allowance });
    }
    return cuts;
  }

  /** Keeps (and saves) the record of a cut. */
  record(rec: EnforcementRecord): Promise<void> {
    this.records.push(rec);
    return this.persist();
  }

  /** The interface's records not yet acknowledged, oldest first (without the interface field). */
  list(iface: string): Enforcement[] {
    return this.records
      .filter((r) => r.interface === iface)
      .map(({ interface: _i, ...rest }) => rest);
  }

  /** Forgets the interface's records with these ids (unknown ids are ignored: idempotent). */
  ack(iface: string, ids: readonly string[]): Promise<void> {
    const drop = new Set(ids);
    const kept = this.records.filter((r) => !(r.interface === iface && drop.has(r.id)));
    if (kept.length === this.records.length) return Promise.resolve();
    this.records = kept;
    return this.persist();
  }

  state(): EnforcementState {
    return { allowances: this.allowances, records: this.records };
  }

  private persist(): Promise<void> {
    const next = this.saving.then(() => this.save(serializeEnforcement(this.state())));
    this.saving = next.catch(() => undefined);
    return next;
  }
}
