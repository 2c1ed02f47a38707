import type { Fence } from '../cluster/ports.js';
import type { AllowanceInput } from '../../domain/allowances.js';
import type { NodeStatus } from '../../domain/vocabulary.js';
import type { InterfaceStatusStore } from './interface-watch.js';
import type { DesiredPeer } from './reconcile-plan.js';

/** A configuration as the poller and the reconciler see it. */
export interface SyncConfiguration {
  readonly id: number;
  readonly name: string;
  readonly interfaceName: string;
  readonly enabled: boolean;
  readonly nodeId: number;
  readonly nodeName: string;
  readonly nodeStatus: NodeStatus;
}

/** The node's credentials, for its agent client. `token` is a secret. */
export interface SyncNode {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly token: string;
  readonly fingerprint: string;
  readonly status: NodeStatus;
}

/** Storage the poller and the reconciler need. */
export interface SyncStore extends InterfaceStatusStore {
  nodeIds(): Promise<number[]>;
  node(id: number): Promise<SyncNode | null>;
  configuration(id: number): Promise<SyncConfiguration | null>;
  enabledConfigurationsOfNode(nodeId: number): Promise<SyncConfiguration[]>;
  /** Every peer of the configuration (active and restricted). */
  desiredPeers(configurationId: number): Promise<DesiredPeer[]>;
  /** The active peers of the configuration with a limit or an expiry (the node's allowances). */
  allowanceInputs(configurationId: number): Promise<AllowanceInput[]>;
  /**
   * The panel (re-)adds these peers to WireGuard, whose counters start again from zero: their
   * last raw counters become 0 (the ledger's `restartedCounters`).
   */
  markCountersRestarted(configurationId: number, publicKeys: readonly string[]): Promise<void>;
  /** Public keys deleted by the panel and not yet confirmed gone from the node. */
  pendingRemovals(configurationId: number): Promise<string[]>;
  setPendingRemovals(configurationId: number, keys: readonly string[]): Promise<void>;
  /** Drops the pending removals of deleted configurations. */
  deletePendingRemovals(configurationIds: readonly number[]): Promise<void>;
  /** With `fence`: written only while that lease holds (else LeaseLostError, nothing written). */
  markNodeOnline(
    nodeId: number,
    seen: { readonly at: Date; readonly agentVersion: string; readonly rttMs: number },
    fence?: Fence,
  ): Promise<void>;
  markNodeOffline(nodeId: number, error: string, fence?: Fence): Promise<void>;
}
