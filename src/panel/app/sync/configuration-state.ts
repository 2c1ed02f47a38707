import type { DumpPeer } from '../../../shared/wire/agent-api.js';
import type { DesiredForm, DriftPeer } from './reconcile-plan.js';

/** What the panel last saw of a configuration's interface on its node (see InterfaceStatus). */
import type { InterfaceStatus } from '../../domain/vocabulary.js';
export type { InterfaceStatus };

interface Settled {
  /** The peers on the node then, and the digest of their keys and allowed IPs (see dumpDigest). */
  readonly count: number;
  readonly digest: number;
  /** Polls that skipped the reconcile since. */
  skipped: number;
}

/** Two independent 32-bit hashes of text (FNV-1a, and a multiplicative one), mixed by `into`. */
function hashInto(h: [number, number], text: string): void {
  let a = h[0];
  let b = h[1];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
  }
  h[0] = a;
  h[1] = b;
}

/**
 * A digest of the dump's peers (each peer's key and allowed IPs), the same in any order: the sum
 * of a 64-bit hash per peer. What `canSkip` compares, in one number a configuration instead of a
 * map entry per peer (whose keys, sliced from the dump's text, would also keep that whole text
 * alive). Two different dumps of as many peers agree with a chance of about 2^-52 (a double holds
 * 52 bits of the two sums); a needed reconcile then waits for the next full comparison, at most
 * `recheckEvery` polls.
 */
function dumpDigest(dump: readonly DumpPeer[]): number {
  let sumA = 0;
  let sumB = 0;
  const h: [number, number] = [0, 0];
  for (const p of dump) {
    h[0] = 0x811c9dc5;
    h[1] = 0x9747b28c;
    hashInto(h, p.public_key);
    for (const ip of p.allowed_ips) {
      hashInto(h, '\t');
      hashInto(h, ip);
    }
    sumA = (sumA + (h[0] >>> 0)) >>> 0;
    sumB = (sumB + (h[1] >>> 0)) % 0x100000;
  }
  return sumB * 0x100000000 + sumA;
}

/** The allowances last handed to the node, and how many polls have skipped handing them since. */
export interface AllowancesSent {
  /** The configuration's revision they were read at. */
  readonly revision: number;
  readonly epoch: string;
  readonly graceSeconds: number;
  skipped: number;
}

/**
 * Everything the sync keeps in memory about one configuration, in one object: forgetting a
 * configuration is dropping it. Rebuilt by the next poll after a restart (pending removals are
 * also stored, see PendingRemovals).
 */
export class ConfigurationState {
  /** What was last written per peer (public key → fingerprint, see planReconcile). */
  applied = new Map<string, string>();
  /** The previous plan's desired forms (see DesiredForm). */
  forms: ReadonlyMap<string, DesiredForm> | undefined;
  /** Public keys deleted by the panel and not yet confirmed gone; null until read from the store. */
  pending: ReadonlySet<string> | null = null;
  /** The last error of this configuration's sync (interface missing, refused changes …). */
  error: string | null = null;
  /** Peers on the node the panel does not know, as of the last reconcile. */
  drift: readonly DriftPeer[] = [];
  /** The interface as the last poll found it; undefined until a poll told. */
  interfaceStatus: InterfaceStatus | undefined;
  /** Grows with every change of what the configuration wants (see `touch`). */
  revision = 0;
  /**
   * The node may still list cuts the panel recorded (an acknowledgement failed, or the panel
   * just started): the next poll whose dump lists none drops their stored ids.
   */
  cutsUnconfirmed = true;
  /** What the node was last handed as allowances (null: nothing, or it failed). */
  allowancesSent: AllowancesSent | null = null;
  private settled: Settled | null = null;

  constructor(
    readonly id: number,
    /** Node of the configuration, for the drift count of a node. */
    public nodeId: number,
  ) {}

  /** What the configuration wants may have changed: the next reconcile compares in full. */
  touch(): void {
    this.revision++;
    this.settled = null;
  }

  /** The reconcile of `dump`, which read the database at `revision`, found nothing to do. */
  settle(revision: number, dump: readonly DumpPeer[]): void {
    if (revision !== this.revision) return; // touched meanwhile
    this.settled = { count: dump.length, digest: dumpDigest(dump), skipped: 0 };
  }

  /**
   * True when this poll's dump may skip the reconcile (and counts it as skipped): the node shows
   * exactly the peers, with the same allowed IPs, as when it last settled; nothing touched the
   * configuration since; and fewer than `recheckEvery` polls were skipped in a row.
   */
  canSkip(dump: readonly DumpPeer[], recheckEvery: number): boolean {
    const s = this.settled;
    if (!s) return false;
    if (s.skipped >= recheckEvery || s.count !== dump.length) return false;
    if (dumpDigest(dump) !== s.digest) return false;
    s.skipped++;
    return true;
  }

  /** The reconcile changed or failed something: the next poll compares in full. */
  unsettle(): void {
    this.settled = null;
  }
}

/** The state of every configuration the sync has met, by id. */
export class ConfigurationStates {
  private readonly byId = new Map<number, ConfigurationState>();

  /** The configuration's state, made on first use. */
  of(id: number, nodeId: number): ConfigurationState {
    let s = this.byId.get(id);
    if (!s) {
      s = new ConfigurationState(id, nodeId);
      this.byId.set(id, s);
    } else s.nodeId = nodeId;
    return s;
  }

  get(id: number): ConfigurationState | undefined {
    return this.byId.get(id);
  }

  forget(id: number): void {
    this.byId.delete(id);
  }

  /** Touches every configuration of a node (see ConfigurationState.touch). */
  touchNode(nodeId: number): void {
    for (const s of this.byId.values()) if (s.nodeId === nodeId) s.touch();
  }

  /** Drift peers on all configurations of a node. */
  driftOfNode(nodeId: number): number {
    let n = 0;
    for (const s of this.byId.values()) if (s.nodeId === nodeId) n += s.drift.length;
    return n;
  }
}
