import type { PeerEventType } from '../../domain/vocabulary.js';
import type { EventValue, PeerEvent } from './peer-event.js';

/**
 * An event as every area stores it (peer_events), whoever made it. The event journal stores it
 * and, in the same transaction, writes its deliveries to the notification outbox.
 */
export interface EventRecord {
  readonly type: PeerEventType;
  readonly peerId: number | null;
  readonly configurationId: number | null;
  readonly nodeId: number | null;
  readonly peerName: string | null;
  readonly peerPublicKey: string | null;
  /** The log line's wording. */
  readonly message: string;
  readonly values: Readonly<Record<string, EventValue>>;
  readonly at: Date;
}

/** The record of a policy (or API) event about a peer. */
export function recordOfPeerEvent(e: PeerEvent): EventRecord {
  return {
    type: e.type,
    peerId: e.peer.id,
    configurationId: e.peer.configurationId,
    nodeId: e.peer.nodeId,
    peerName: e.peer.name,
    peerPublicKey: e.peer.publicKey,
    message: e.message,
    values: e.values,
    at: e.at,
  };
}
