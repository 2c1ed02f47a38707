import type { Logger } from 'pino';
import type { PeerStore } from '../../app/peers/ports.js';
import type { ConvergeNow } from '../../app/sync/ports.js';
import { FailureBody } from '../envelope.js';

/** What the peers routes are built from. */
export interface PeersRouteDeps {
  readonly store: PeerStore;
  readonly converge: ConvergeNow;
  readonly now: () => Date;
  readonly logger: Logger;
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
