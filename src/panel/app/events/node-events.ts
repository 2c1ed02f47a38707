import type { NodeStatus } from '../../domain/vocabulary.js';
import type { EventRecord } from './event-record.js';

/**
 * The event of a node's status change, or null: `node_down` when a node that was online fails a
 * poll, `node_up` when one that was offline answers again (not on the first answer of a node
 * never seen before). `error` is the poll's failure (never a credential).
 */
export function nodeStatusEvent(
  node: { readonly id: number; readonly name: string },
  previous: { readonly status: NodeStatus; readonly everSeen: boolean },
  status: NodeStatus,
  error: string | null,
  at: Date,
): EventRecord | null {
  if (previous.status === status) return null;
  if (status === 'online' && !previous.everSeen) return null;
  const base = {
    peerId: null,
    configurationId: null,
    nodeId: node.id,
    peerName: null,
    peerPublicKey: null,
    at,
  };
  if (status === 'offline')
    return {
      ...base,
      type: 'node_down',
      message: `Node ${node.name} is down: ${error ?? 'no answer'}`,
      values: { node: node.name, error: error ?? null },
    };
  return {
    ...base,
    type: 'node_up',
    message: `Node ${node.name} is back online`,
    values: { node: node.name },
  };
}
