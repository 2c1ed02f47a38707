import { isSealed, type SecretCipher } from './secret-cipher.js';

// What each sealed column is bound to: the row's identity, so a sealed value moved to another
// row or column does not open. Peers are bound by (configuration, public key), which never change
// and are known before the insert (bulk inserts return no ids on MySQL); nodes by their id.

/** The sealed columns of `peers`. */
export const PEER_SECRET_COLUMNS = ['private_key', 'preshared_key'] as const;
export type PeerSecretColumn = (typeof PEER_SECRET_COLUMNS)[number];

export const peerSecretBinding = (
  column: PeerSecretColumn,
  configurationId: number,
  publicKey: string,
) => `peers.${column}|${configurationId}|${publicKey}`;

export const nodeTokenBinding = (nodeId: number) => `nodes.token|${nodeId}`;

/** A webhook's signing secret, bound to the webhook's id. */
export const webhookSecretBinding = (webhookId: string) => `webhooks.secret|${webhookId}`;

/** A user's TOTP secret, bound to the user's id. */
export const totpSecretBinding = (userId: number) => `users.totp_secret|${userId}`;

/** A secret kept as a `settings` row (SMTP password, Telegram bot token), bound to its key. */
export const settingSecretBinding = (key: string) => `settings.value|${key}`;

/** Seals a nullable value (null stays null). */
export function sealOrNull(cipher: SecretCipher, clear: string | null, binding: string) {
  return clear === null ? null : cipher.seal(clear, binding);
}

/**
 * Opens a stored value: null stays null, a clear value (written before sealing existed, or by a
 * tool; the next start seals it) is returned as it is, a sealed one is opened.
 */
export function openStored(cipher: SecretCipher, stored: string | null, binding: string) {
  if (stored === null || !isSealed(stored)) return stored;
  return cipher.open(stored, binding);
}

type PeerSecretsRow = {
  configuration_id: number;
  public_key: string;
  private_key?: string | null;
  preshared_key?: string | null;
};

/** Opens the private and preshared keys of peer rows in place (rows fresh from the driver). */
export function openPeerRows<R extends PeerSecretsRow>(cipher: SecretCipher, rows: R[]): R[] {
  for (const r of rows)
    for (const column of PEER_SECRET_COLUMNS) {
      const v = r[column];
      if (v !== undefined)
        r[column] = openStored(
          cipher,
          v,
          peerSecretBinding(column, r.configuration_id, r.public_key),
        );
    }
  return rows;
}

/** A copy of a peer row to write, its private and preshared keys sealed. */
export function sealPeerRow<R extends PeerSecretsRow>(cipher: SecretCipher, row: R): R {
  const out = { ...row };
  for (const column of PEER_SECRET_COLUMNS) {
    const v = row[column];
    if (v !== undefined && v !== null)
      out[column] = cipher.seal(v, peerSecretBinding(column, row.configuration_id, row.public_key));
  }
  return out;
}
