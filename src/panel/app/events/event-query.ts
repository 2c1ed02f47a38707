import type { PeerEventType } from '../../domain/vocabulary.js';

/** Filters of getPeerEvents; all optional, combined with AND. Newest first. */
export interface EventFilter {
  readonly configurationId?: number;
  readonly peerId?: number;
  readonly types?: readonly PeerEventType[];
  /** created_at ≥ from. */
  readonly from?: Date;
  /** created_at < to. */
  readonly to?: Date;
  readonly limit: number;
  readonly offset: number;
}

/** A stored event as read back. */
export interface StoredEvent {
  readonly id: number;
  readonly type: PeerEventType;
  readonly peerId: number | null;
  readonly configurationId: number | null;
  readonly configurationName: string | null;
  readonly nodeId: number | null;
  readonly peerName: string | null;
  readonly peerPublicKey: string | null;
  readonly message: string | null;
  readonly values: Record<string, unknown>;
  readonly createdAt: Date;
}

/** Reads stored events. */
export interface EventReader {
  find(filter: EventFilter): Promise<{ events: StoredEvent[]; total: number }>;
}
