import type { ConvergeNow } from '../sync/ports.js';
import { applyToNode } from './apply-to-node.js';
import type { PeerConfiguration, PeerStore, PeerWriter } from './ports.js';

/** What a write tells the port, besides its result. */
export interface PeerWriteOutcome<T> {
  readonly value: T;
  /** Whether the node's view changed (a peer added, removed, restricted, re-keyed …). */
  readonly nodeSees: boolean;
  /** Public keys just deleted: removed from the node (see ConvergeOptions.remove). */
  readonly remove?: readonly string[];
  /**
   * Runs after the commit, before the node is told (the quota policy for new peers, so a zero
   * limit restricts them before they reach WireGuard); its result is the write's value.
   */
  readonly beforeNode?: (value: T) => Promise<T>;
}

/**
 * The only way the peers use cases write peers: one transaction, then, when the node's view
 * changed, the configuration converges before the call returns (so no use case can change what a
 * node should have without telling the sync). Answers the write's value and the message of the
 * answer (null when the node has it, else why it is applied later).
 */
export interface PeerWrites {
  write<T>(
    configuration: PeerConfiguration,
    work: (writer: PeerWriter) => Promise<PeerWriteOutcome<T>>,
  ): Promise<{ value: T; message: string | null }>;
}

/** PeerWrites over the peers' store and the sync's ConvergeNow. */
export function createPeerWrites(store: Pick<PeerStore, 'transaction'>, converge: ConvergeNow) {
  const writes: PeerWrites = {
    async write(configuration, work) {
      const outcome = await store.transaction(work);
      const value = outcome.beforeNode ? await outcome.beforeNode(outcome.value) : outcome.value;
      const message = outcome.nodeSees
        ? await applyToNode(
            converge,
            configuration,
            outcome.remove ? { remove: outcome.remove } : undefined,
          )
        : null;
      return { value, message };
    },
  };
  return writes;
}
