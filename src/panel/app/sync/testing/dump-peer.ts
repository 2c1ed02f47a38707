import type { DumpPeer } from '../../../../shared/wire/agent-api.js';

/** A peer as a node's dump shows it, with no traffic yet (for tests of the sync code). */
export function dumpPeer(publicKey: string, allowedIps: readonly string[]): DumpPeer {
  return {
    public_key: publicKey,
    endpoint: null,
    allowed_ips: [...allowedIps],
    latest_handshake: null,
    transfer_rx: 0,
    transfer_tx: 0,
    persistent_keepalive: null,
  };
}
