import { InterfaceTotals } from '../ledger/interface-totals.js';
import { parseTransfer, type TransferReading } from '../wg/transfer-parser.js';
import type { LinkInfo } from '../wg/link-info.js';
import type { WgCli } from '../wg/wg-cli.js';
import { isNoDevice } from './wg-errors.js';

/** What the counter ledger needs: the cheap `wg` read and the interface's incarnation. */
export interface CounterLedgerPorts {
  readonly wg: Pick<WgCli, 'transfer'>;
  readonly links: Pick<LinkInfo, 'instance'>;
  /** A new random epoch id (for an interface without a ledger yet). */
  readonly newEpoch: () => string;
  /**
   * Reads the counters from a userspace interface's control socket without spawning `wg`
   * (see readUapiTransfer); null: no socket (kernel WireGuard), `wg` reads them.
   */
  readonly uapi?: (iface: string) => Promise<TransferReading | null>;
  /** Milliseconds (for the age of a reading); Date.now when not given. */
  readonly now?: () => number;
}

/**
 * The node's per-peer monotonic totals, one InterfaceTotals per interface. Readings happen under
 * the interface's lock (the read loop, and every change that would lose counters: peer removal,
 * interface down), so readings and changes of one interface never interleave.
 */
export class CounterLedger {
  /** Something moved since the last save. */
  dirty = false;
  /** When each interface was last read (ports.now), to reuse a reading that is recent enough. */
  private readonly readAt = new Map<string, number>();

  constructor(
    private readonly ports: CounterLedgerPorts,
    readonly interfaces = new Map<string, InterfaceTotals>(),
  ) {}

  /** The interface's totals; created (new epoch) when it has none. */
  ensure(iface: string): InterfaceTotals {
    let t = this.interfaces.get(iface);
    if (!t) {
      t = new InterfaceTotals(this.ports.newEpoch());
      this.interfaces.set(iface, t);
      this.dirty = true;
    }
    return t;
  }

  /**
   * Reads the interface's raw counters now and brings its totals up to date; the caller holds
   * the interface's lock. Resolves null when the interface is not there (its totals then count
   * every raw counter from zero when it is back); rejects when `wg` fails otherwise.
   */
  async readLocked(iface: string): Promise<InterfaceTotals | null> {
    const before = await this.ports.links.instance(iface);
    let reading: TransferReading;
    try {
      reading =
        (await this.ports.uapi?.(iface)) ?? parseTransfer(await this.ports.wg.transfer(iface));
    } catch (e) {
      if (!isNoDevice(e)) throw e;
      this.interfaceGone(iface);
      return null;
    }
    const after = await this.ports.links.instance(iface);
    const t = this.ensure(iface);
    // Re-created while it was read: which incarnation the counters belong to is unknown. Skip
    // this reading; the next one sees the new incarnation and counts it from zero.
    if (after !== before) return t;
    if (t.apply(reading, before)) this.dirty = true;
    this.readAt.set(iface, (this.ports.now ?? Date.now)());
    return t;
  }

  /**
   * The interface's totals when they were brought up to date at most `maxAgeMs` ago (by the read
   * loop, typically) from the interface's current incarnation, else null: the caller reads them
   * again. A dump reuses the read loop's
   * reading instead of asking WireGuard for every counter a second time.
   */
  async recent(iface: string, maxAgeMs: number): Promise<InterfaceTotals | null> {
    const at = this.readAt.get(iface);
    const t = this.interfaces.get(iface);
    if (at === undefined || !t || t.incarnation === null) return null;
    // Re-created since (another ifindex): its counters restarted, which only a reading can tell.
    if ((await this.ports.links.instance(iface)) !== t.incarnation) return null;
    return (this.ports.now ?? Date.now)() - at <= maxAgeMs ? t : null;
  }

  /** The agent removed a peer (after reading its counters): if it comes back, count from zero. */
  peerRemoved(iface: string, key: string): void {
    this.interfaces.get(iface)?.peerGone(key);
    this.dirty = true;
  }

  /** The interface is not running (taken down, by the agent or anyone). */
  interfaceGone(iface: string): void {
    this.readAt.delete(iface);
    if (this.interfaces.get(iface)?.interfaceGone()) this.dirty = true;
  }

  /** The interface was deleted: its totals go (a new one of that name starts a new epoch). */
  interfaceDeleted(iface: string): void {
    this.readAt.delete(iface);
    if (this.interfaces.delete(iface)) this.dirty = true;
  }
}
