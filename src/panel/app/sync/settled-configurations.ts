import type { DumpPeer } from '../../../shared/wire/agent-api.js';

interface Settled {
  /** Each peer on the node then, with its allowed IPs as the dump gave them. */
  readonly peers: ReadonlyMap<string, string>;
  /** Polls that skipped the reconcile since. */
  skipped: number;
}

const allowedOf = (p: DumpPeer) => p.allowed_ips.join(',');

/**
 * Configurations whose last reconcile found nothing to do, so an idle poll can skip reading every
 * desired peer again (at 10,000 peers that read and its comparison were most of an idle panel's
 * CPU). A poll skips the reconcile while all of this holds:
 * - the node shows exactly the peers, with the same allowed IPs, that it showed then;
 * - nothing in this process changed what the configuration wants since: every change to peers
 *   asks for a convergence (ConvergeNow), and that `touch`es the configuration first;
 * - fewer than `recheckEvery` polls were skipped: a full comparison still runs that often, for
 *   a change made by another process on the same database.
 */
export class SettledConfigurations {
  readonly #revisions = new Map<number, number>();
  readonly #settled = new Map<number, Settled>();

  constructor(private readonly recheckEvery: number) {}

  /** What the configuration wants may have changed: its next poll compares in full. */
  touch(configurationId: number): void {
    this.#revisions.set(configurationId, this.revision(configurationId) + 1);
    this.#settled.delete(configurationId);
  }

  /** Read before the desired peers are read; hand it to `settle`. */
  revision(configurationId: number): number {
    return this.#revisions.get(configurationId) ?? 0;
  }

  /** The reconcile of `dump`, which read the database at `revision`, found nothing to do. */
  settle(configurationId: number, revision: number, dump: readonly DumpPeer[]): void {
    if (revision !== this.revision(configurationId)) return; // touched meanwhile
    const peers = new Map<string, string>();
    for (const p of dump) peers.set(p.public_key, allowedOf(p));
    this.#settled.set(configurationId, { peers, skipped: 0 });
  }

  /** True when this poll's dump may skip the reconcile (and counts it as skipped). */
  canSkip(configurationId: number, dump: readonly DumpPeer[]): boolean {
    // A touch drops the entry, so one that is here was settled at the current revision.
    const s = this.#settled.get(configurationId);
    if (!s) return false;
    if (s.skipped >= this.recheckEvery || s.peers.size !== dump.length) return false;
    for (const p of dump) if (s.peers.get(p.public_key) !== allowedOf(p)) return false;
    s.skipped++;
    return true;
  }

  /** The reconcile ran and changed or failed something: the next poll compares in full. */
  unsettle(configurationId: number): void {
    this.#settled.delete(configurationId);
  }

  forget(configurationId: number): void {
    this.#settled.delete(configurationId);
    this.#revisions.delete(configurationId);
  }
}
