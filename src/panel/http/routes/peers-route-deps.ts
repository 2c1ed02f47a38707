import type { Logger } from 'pino';
import type { PeerWrites } from '../../app/peers/peer-writes.js';
import type { PeerStore, PeerSubscriptions, QuotaChanges } from '../../app/peers/ports.js';
import { FailureBody } from '../envelope.js';
import type { PeerAttachments } from '../peer-json.js';

/** What the peers routes are built from. */
export interface PeersRouteDeps {
  readonly store: PeerStore;
  /** Peer writes, each followed by a convergence of the node. */
  readonly writes: PeerWrites;
  readonly quotas: QuotaChanges;
  /** Peers joining and leaving subscribers (updatePeerSettings' subscriber_id). */
  readonly subscriptions?: PeerSubscriptions;
  readonly now: () => Date;
  readonly logger: Logger;
  /** What other tables hold of a configuration's peers, by public key (`ShareLink`, jobs). */
  readonly attachments?: (configurationId: number) => Promise<ReadonlyMap<string, PeerAttachments>>;
}

export { ConfigNameParams } from '../../../shared/wire/panel-api.js';

/** The failures every peers endpoint may answer. */
export const PEER_FAILURES = {
  400: FailureBody,
  401: FailureBody,
  404: FailureBody,
  409: FailureBody,
  413: FailureBody,
} as const;
