import type { DumpPeer } from '../../../shared/wire/agent-api.js';
import type { DumpSink, ObservedConfiguration } from '../sync/ports.js';

/** A configuration's rate between its two latest polls, WGDashboard 4.3's `{sent, recv}`. */
export interface RealtimeTraffic {
  /** MiB per second sent by the node to its peers (4.3: MB sent in one second). */
  readonly sent: number;
  /** MiB per second received by the node from its peers. */
  readonly recv: number;
}

/**
 * A configuration's latest poll as columns: its peers' keys and raw counters (entry `i` of each
 * is the dump's peer `i`), no object or map entry per peer. The keys are copies of their own: a
 * key parsed from a dump is a slice of the whole answer's text, which keeping it would keep too.
 */
interface LastPoll {
  readonly at: number;
  readonly instance: string | null | undefined;
  readonly keys: readonly string[];
  readonly rx: Float64Array;
  readonly tx: Float64Array;
  rate: RealtimeTraffic | null;
}

const MIB = 1024 * 1024;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** A string with the same characters that refers to no larger one (see LastPoll). */
const ownCopy = (s: string) => `${s} `.slice(0, -1);

/** True when the dump lists the same keys as `keys`, in the same order (a node's usual case). */
function sameKeys(peers: readonly DumpPeer[], keys: readonly string[]): boolean {
  if (peers.length !== keys.length) return false;
  for (let i = 0; i < peers.length; i++)
    if ((peers[i] as DumpPeer).public_key !== keys[i]) return false;
  return true;
}

/**
 * Keeps, per configuration, the rate of its traffic between the two latest polls (a DumpSink of
 * every poll). A peer's bytes are its raw counters' growth; a counter that went down (or a new
 * interface incarnation) restarted, so its whole value is new; a peer new since the last poll
 * counts its whole value. In memory only: after a restart the first rate needs two polls. When a
 * poll lists the same peers in the same order as the last one (most polls), the counters are
 * compared by position and overwritten in place: nothing is allocated per peer.
 */
export class RealtimeTrafficSink implements DumpSink {
  readonly name = 'realtime traffic';
  private readonly last = new Map<number, LastPoll>();

  async onDump(o: ObservedConfiguration): Promise<void> {
    const at = o.observedAt.getTime();
    const instance = o.dump.interface.instance;
    const peers = o.dump.peers;
    const before = this.last.get(o.configurationId);
    const inPlace = before !== undefined && sameKeys(peers, before.keys);
    const next: LastPoll = inPlace
      ? { ...before, at, instance }
      : {
          at,
          instance,
          keys: peers.map((p) => ownCopy(p.public_key)),
          rx: new Float64Array(peers.length),
          tx: new Float64Array(peers.length),
          rate: null,
        };
    // Where each peer was in the last poll (by position when the keys are the same).
    let slotOf: ((i: number) => number | undefined) | undefined;
    if (inPlace) slotOf = (i) => i;
    else if (before) {
      const slots = new Map<string, number>();
      before.keys.forEach((k, i) => slots.set(k, i));
      slotOf = (i) => slots.get((peers[i] as DumpPeer).public_key);
    }
    const counting = before !== undefined && at > before.at;
    const restarted = before?.instance != null && instance !== before.instance;
    let rx = 0;
    let tx = 0;
    for (let i = 0; i < peers.length; i++) {
      const p = peers[i] as DumpPeer;
      if (counting) {
        const slot = restarted ? undefined : slotOf?.(i);
        const wasRx = slot === undefined ? undefined : (before.rx[slot] as number);
        const wasTx = slot === undefined ? undefined : (before.tx[slot] as number);
        rx += wasRx !== undefined && p.transfer_rx >= wasRx ? p.transfer_rx - wasRx : p.transfer_rx;
        tx += wasTx !== undefined && p.transfer_tx >= wasTx ? p.transfer_tx - wasTx : p.transfer_tx;
      }
      next.rx[i] = p.transfer_rx;
      next.tx[i] = p.transfer_tx;
    }
    let rate: RealtimeTraffic | null = null;
    if (counting) {
      const seconds = (at - before.at) / 1000;
      rate = { sent: round3(tx / seconds / MIB), recv: round3(rx / seconds / MIB) };
    }
    next.rate = rate ?? before?.rate ?? null;
    this.last.set(o.configurationId, next);
  }

  /** The latest rate; zeros before two polls (as 4.3 answers an interface it cannot read). */
  rateOf(configurationId: number): RealtimeTraffic {
    return this.last.get(configurationId)?.rate ?? { sent: 0, recv: 0 };
  }

  forget(configurationId: number): void {
    this.last.delete(configurationId);
  }
}
