import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { InterfaceAllowances } from '../ledger/allowance.js';
import { parseEnforcement, type EnforcementState } from '../ledger/enforcement-file.js';
import { parseTotals, serializeTotals, type TotalsState } from '../ledger/totals-file.js';
import { readTextFile, writeFileAtomic } from '../sys/atomic-file.js';
import { CounterLedger, type CounterLedgerPorts } from './counter-ledger.js';
import { Enforcer } from './enforcer.js';

/** File names in the state folder. */
export const TOTALS_FILE = 'totals.json';
export const ENFORCEMENT_FILE = 'enforcement.json';

export interface NodeLedgerOptions {
  readonly stateDir: string;
  readonly ports: Omit<CounterLedgerPorts, 'newEpoch'>;
  /** The kernel's boot id (`/proc/sys/kernel/random/boot_id`); null when unknown. */
  readonly bootId: string | null;
  readonly now: () => number;
  readonly log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

const newEpoch = () => randomBytes(9).toString('base64url');

/**
 * What the agent keeps of its own in the state folder: per-peer totals (`totals.json`, saved at
 * least every few seconds and at shutdown) and the panel's allowances with the records of what the
 * agent cut (`enforcement.json`, saved on every change). Both replaced atomically, mode 0600.
 */
export class NodeLedger {
  private saving: Promise<void> = Promise.resolve();
  private savedHeardAt: number | null;
  private soon = false;

  private constructor(
    private readonly o: NodeLedgerOptions,
    readonly counters: CounterLedger,
    readonly enforcer: Enforcer,
    savedHeardAt: number | null,
  ) {
    this.savedHeardAt = savedHeardAt;
  }

  /** Loads both files; a missing or unreadable totals file starts new epochs. */
  static async load(o: NodeLedgerOptions): Promise<NodeLedger> {
    const totals = await loadTotals(o);
    const counters = new CounterLedger(
      { ...o.ports, newEpoch, now: o.now },
      new Map(totals.interfaces),
    );
    if (totals.bootId !== null && o.bootId !== null && totals.bootId !== o.bootId) {
      // Rebooted: every raw counter restarted, whatever the ifindex now says.
      for (const name of counters.interfaces.keys()) counters.interfaceGone(name);
      o.log.info({}, 'node rebooted since the totals were saved: raw counters count from zero');
    }
    const enf = await loadEnforcement(o, counters);
    const heardAt = totals.panelHeardAt ?? o.now();
    const save = (text: string) => writeFileAtomic(join(o.stateDir, ENFORCEMENT_FILE), text);
    const enforcer = new Enforcer(save, heardAt, new Map(enf.allowances), [...enf.records]);
    return new NodeLedger(o, counters, enforcer, totals.panelHeardAt);
  }

  /** Saves the totals file when something changed since the last save. */
  flush(): Promise<void> {
    const next = this.saving.then(async () => {
      const heardAt = this.enforcer.heardAt;
      if (!this.counters.dirty && heardAt === this.savedHeardAt) return;
      this.counters.dirty = false;
      const state: TotalsState = {
        bootId: this.o.bootId,
        panelHeardAt: heardAt,
        interfaces: this.counters.interfaces,
      };
      try {
        await writeFileAtomic(join(this.o.stateDir, TOTALS_FILE), serializeTotals(state));
        this.savedHeardAt = heardAt;
      } catch (e) {
        this.counters.dirty = true;
        throw e;
      }
    });
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** Saves at once, without waiting (after a change that lost raw counters: a removal, a down). */
  flushSoon(): void {
    if (this.soon) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.flush().catch((e: unknown) => this.o.log.warn({ err: e }, 'could not save the totals'));
    });
  }
}

async function loadTotals(o: NodeLedgerOptions): Promise<TotalsState> {
  const empty: TotalsState = { bootId: null, panelHeardAt: null, interfaces: new Map() };
  const text = await readTextFile(join(o.stateDir, TOTALS_FILE));
  if (text === null) {
    o.log.info({}, 'no totals file yet: every interface starts a new epoch');
    return empty;
  }
  try {
    return parseTotals(text);
  } catch (e) {
    o.log.warn({ err: (e as Error).message }, 'totals file unreadable: new epochs');
    return empty;
  }
}

async function loadEnforcement(o: NodeLedgerOptions, c: CounterLedger): Promise<EnforcementState> {
  const text = await readTextFile(join(o.stateDir, ENFORCEMENT_FILE));
  if (text === null) return { allowances: new Map(), records: [] };
  let s: EnforcementState;
  try {
    s = parseEnforcement(text);
  } catch (e) {
    o.log.warn({ err: (e as Error).message }, 'enforcement file unreadable: no allowances');
    return { allowances: new Map(), records: [] };
  }
  // Allowances counted in an epoch the totals no longer have are meaningless: dropped (the
  // panel hands new ones at its next poll).
  const allowances = new Map<string, InterfaceAllowances>();
  for (const [name, a] of s.allowances)
    if (c.interfaces.get(name)?.epoch === a.epoch) allowances.set(name, a);
  return { allowances, records: s.records };
}
