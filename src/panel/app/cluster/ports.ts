/**
 * The right to write for one leased resource, as a write checks it: the holder, and the fencing
 * token it was given when it took the lease. A write is refused unless the lease row still names
 * this holder with this token and has not expired (see LeaseLostError).
 */
export interface Fence {
  readonly resource: string;
  readonly holder: string;
  readonly token: bigint;
}

/** One lease row. */
export interface LeaseRow {
  readonly resource: string;
  readonly holder: string;
  readonly token: bigint;
  readonly expiresAt: Date;
}

/** The cluster tables (cluster_panels, cluster_leases), as the lease keeper needs them. */
export interface ClusterStore {
  /** Records this panel as alive at `now` (inserts it the first time). */
  heartbeat(panel: { readonly id: string; readonly host: string }, now: Date): Promise<void>;
  /** Panels with a heartbeat after `since`. */
  livePanels(since: Date): Promise<string[]>;
  /** Forgets a panel that stops (and every panel silent since before `before`). */
  leave(panelId: string, before: Date): Promise<void>;
  /** Lease rows whose resource starts with `prefix`. */
  leases(prefix: string): Promise<LeaseRow[]>;
  /**
   * Takes a free lease (no row, or an expired one): compare-and-set on the expiry, the token one
   * more than before. Returns the new token, or null when another panel holds it.
   */
  acquire(resource: string, holder: string, now: Date, until: Date): Promise<bigint | null>;
  /** Extends a lease this holder still holds with this token; false when it was lost. */
  renew(fence: Fence, now: Date, until: Date): Promise<boolean>;
  /** Gives a lease up at once (expires now; the token stays for the next holder to grow). */
  release(fence: Fence, now: Date): Promise<void>;
  /** Every node (id and name). */
  nodes(): Promise<{ readonly id: number; readonly name: string }[]>;
  /** Drops the lease rows of resources that no longer exist (deleted nodes). */
  forget(resources: readonly string[]): Promise<void>;
}

/** The resource name of a node's lease. */
export const nodeResource = (nodeId: number) => `node:${nodeId}`;
/** The resource name of a cluster job's lease. */
export const jobResource = (name: string) => `job:${name}`;
