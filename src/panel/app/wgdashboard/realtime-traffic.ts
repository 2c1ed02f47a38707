import type { DumpSink, ObservedConfiguration } from '../sync/ports.js';

/** A configuration's rate between its two latest polls, WGDashboard 4.3's `{sent, recv}`. */
export interface RealtimeTraffic {
  /** MiB per second sent by the node to its peers (4.3: MB sent in one second). */
  readonly sent: number;
  /** MiB per second received by the node from its peers. */
  readonly recv: number;
}

interface LastPoll {
  readonly at: number;
  readonly instance: string | null | undefined;
  readonly raw: ReadonlyMap<string, { rx: number; tx: number }>;
  rate: RealtimeTraffic | null;
}

const MIB = 1024 * 1024;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Keeps, per configuration, the rate of its traffic between the two latest polls (a DumpSink of
 * every poll). A peer's bytes are its raw counters' growth; a counter that went down (or a new
 * interface incarnation) restarted, so its whole value is new; a peer new since the last poll
 * counts its whole value. In memory only: after a restart the first rate needs two polls.
 */
export class RealtimeTrafficSink implements DumpSink {
  readonly name = 'realtime traffic';
  private readonly last = new Map<number, LastPoll>();

  async onDump(o: ObservedConfiguration): Promise<void> {
    const at = o.observedAt.getTime();
    const instance = o.dump.interface.instance;
    const raw = new Map(
      o.dump.peers.map((p) => [p.public_key, { rx: p.transfer_rx, tx: p.transfer_tx }]),
    );
    const before = this.last.get(o.configurationId);
    let rate: RealtimeTraffic | null = null;
    if (before && at > before.at) {
      const restarted = before.instance != null && instance !== before.instance;
      let rx = 0;
      let tx = 0;
      for (const [key, now] of raw) {
        const was = restarted ? undefined : before.raw.get(key);
        rx += was && now.rx >= was.rx ? now.rx - was.rx : now.rx;
        tx += was && now.tx >= was.tx ? now.tx - was.tx : now.tx;
      }
      const seconds = (at - before.at) / 1000;
      rate = { sent: round3(tx / seconds / MIB), recv: round3(rx / seconds / MIB) };
    }
    this.last.set(o.configurationId, { at, instance, raw, rate: rate ?? before?.rate ?? null });
  }

  /** The latest rate; zeros before two polls (as 4.3 answers an interface it cannot read). */
  rateOf(configurationId: number): RealtimeTraffic {
    return this.last.get(configurationId)?.rate ?? { sent: 0, recv: 0 };
  }

  forget(configurationId: number): void {
    this.last.delete(configurationId);
  }
}
