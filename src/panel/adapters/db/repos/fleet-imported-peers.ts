import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';

/** Rows per INSERT: well under every dialect's limit of bound parameters. */
const PEER_CHUNK = 500;

/**
 * Imported peers: no private key, and `last_raw_*` left null so the ledger takes the first poll's
 * counters as a baseline (that traffic predates the panel).
 */
export async function insertImportedPeers(
  trx: Kysely<Database>,
  configurationId: number,
  peers: readonly { readonly publicKey: string; readonly allowedIp: string }[],
): Promise<void> {
  for (let i = 0; i < peers.length; i += PEER_CHUNK) {
    await trx
      .insertInto('peers')
      .values(
        peers.slice(i, i + PEER_CHUNK).map((p) => ({
          configuration_id: configurationId,
          public_key: p.publicKey,
          allowed_ip: p.allowedIp,
          private_key: null,
          preshared_key: null,
          endpoint_allowed_ip: null,
          dns: null,
          mtu: null,
          keepalive: null,
          restriction_reason: null,
          restricted_at: null,
          traffic_limit: null,
          expiry_date: null,
          reset_anchor: null,
          last_raw_rx: null,
          last_raw_tx: null,
          expiry_warned_for: null,
          endpoint: null,
          latest_handshake_at: null,
        })),
      )
      .execute();
  }
}
