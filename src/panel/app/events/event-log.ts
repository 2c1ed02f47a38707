import type { Logger } from 'pino';
import type { PeerEvent } from './peer-event.js';

const WARN = new Set(['exceeded', 'expired', 'warning', 'expiring_soon', 'restricted']);

/**
 * One structured log line per event, after its transaction committed: the seed's wording with the
 * `[Phase 7]` prefix (so `grep "\[Phase 7\]"` keeps working), and the event's fields beside it.
 */
export function logPeerEvents(logger: Logger, events: readonly PeerEvent[]): void {
  for (const e of events) {
    const fields = {
      event: e.type,
      peer_id: e.peer.id,
      peer_public_key: e.peer.publicKey,
      configuration_id: e.peer.configurationId,
      node_id: e.peer.nodeId,
      values: e.values,
    };
    const line = `[Phase 7] ${e.message}`;
    if (WARN.has(e.type)) logger.warn(fields, line);
    else logger.info(fields, line);
  }
}
