import type { TransferReading } from '../wg/transfer-parser.js';

/** One peer's monotonic totals and the raw counters they were last brought up to date from. */
export interface PeerTotals {
  totalRx: number;
  totalTx: number;
  /** Raw WireGuard counters at the last reading; 0 once the peer was seen gone (it restarts at 0). */
  lastRx: number;
  lastTx: number;
  /** Number of the latest reading that listed the peer (not saved). */
  seen?: number;
}

/**
 * Per-peer monotonic byte totals of one interface, brought up to date from raw counter readings.
 * Totals never go down: a raw counter that restarted (interface re-created, peer removed and
 * added again) is detected — another incarnation, a counter that went down, or a peer seen gone —
 * and the new raw value is counted from zero. Pure: no clock, no I/O; the caller reads.
 */
export class InterfaceTotals {
  constructor(
    /** Random id of this ledger: a new one means the totals restarted (file lost or new). */
    readonly epoch: string,
    /** The interface incarnation the last raw counters were read from (ifindex); null: unknown. */
    public incarnation: string | null = null,
    readonly peers = new Map<string, PeerTotals>(),
  ) {}

  /** Readings applied so far (not saved): a peer whose `seen` is this one is on the interface. */
  private readings = 0;

  /**
   * Applies one reading of every peer's raw counters, taken from `incarnation` (null when it
   * could not be told). Peers absent from the reading were removed: their totals stay and their
   * raw counters are taken as restarted. Returns whether any total moved.
   */
  apply(reading: TransferReading, incarnation: string | null): boolean {
    const reset =
      incarnation !== null && this.incarnation !== null && incarnation !== this.incarnation;
    if (incarnation !== null) this.incarnation = incarnation;
    let moved = false;
    const { keys, rx, tx } = reading;
    const gen = ++this.readings;
    let matched = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const r = rx[i] as number;
      const t = tx[i] as number;
      let e = this.peers.get(key);
      if (!e) {
        e = { totalRx: 0, totalTx: 0, lastRx: 0, lastTx: 0 };
        this.peers.set(key, e);
      } else matched++;
      e.seen = gen;
      // A counter that went down restarted (both do together): count the new value from zero.
      const restarted = reset || r < e.lastRx || t < e.lastTx;
      const dRx = restarted ? r : r - e.lastRx;
      const dTx = restarted ? t : t - e.lastTx;
      if (dRx !== 0 || dTx !== 0) {
        e.totalRx += dRx;
        e.totalTx += dTx;
        moved = true;
      }
      e.lastRx = r;
      e.lastTx = t;
    }
    // Every known peer was in the reading: nobody to mark gone (the common case, no Set built).
    if (matched === this.peers.size - (keys.length - matched)) return moved;
    // The reading's key strings are not kept (a `seen` number is): they die young, and the
    // agent's heap does not grow with garbage promoted every second.
    for (const e of this.peers.values())
      if (e.seen !== gen && (e.lastRx !== 0 || e.lastTx !== 0)) {
        e.lastRx = 0;
        e.lastTx = 0;
        moved = true;
      }
    return moved;
  }

  /** The peer was removed (counters read just before): if it comes back, it starts from zero. */
  peerGone(key: string): void {
    const e = this.peers.get(key);
    if (e) {
      e.seen = 0;
      e.lastRx = 0;
      e.lastTx = 0;
    }
  }

  /** The interface went down: every raw counter restarts from zero when it comes back. */
  interfaceGone(): boolean {
    let moved = this.incarnation !== null;
    this.incarnation = null;
    this.readings++; // nobody is on it now
    for (const e of this.peers.values())
      if (e.lastRx !== 0 || e.lastTx !== 0) {
        e.lastRx = 0;
        e.lastTx = 0;
        moved = true;
      }
    return moved;
  }

  /** True when the latest reading listed the peer (and it was not removed since). */
  isPresent(key: string): boolean {
    const e = this.peers.get(key);
    return e !== undefined && e.seen === this.readings;
  }

  /** rx + tx total of a peer (0 for one never read). */
  used(key: string): number {
    const e = this.peers.get(key);
    return e ? e.totalRx + e.totalTx : 0;
  }
}
