import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createAesGcmCipher } from '../../src/panel/adapters/db/index.js';
import { peerSecretBinding } from '../../src/panel/adapters/db/secrets/secret-bindings.js';

/**
 * Gives every peer of a running panel's SQLite database a private and a preshared key, sealed
 * with the panel's key file (beside the database) as the panel would have stored them: the
 * benchmark's peers are imported from the node, which never tells keys. Returns how many.
 */
export function giveEveryPeerSealedKeys(dbPath: string): number {
  const cipher = createAesGcmCipher(readFileSync(join(dirname(dbPath), 'secret.key')));
  const db = new Database(dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    const peers = db.prepare('SELECT id, configuration_id, public_key FROM peers').all() as {
      id: number;
      configuration_id: number;
      public_key: string;
    }[];
    const set = db.prepare('UPDATE peers SET private_key = ?, preshared_key = ? WHERE id = ?');
    const key = () => randomBytes(32).toString('base64');
    db.transaction(() => {
      for (const p of peers)
        set.run(
          cipher.seal(key(), peerSecretBinding('private_key', p.configuration_id, p.public_key)),
          cipher.seal(key(), peerSecretBinding('preshared_key', p.configuration_id, p.public_key)),
          p.id,
        );
    })();
    return peers.length;
  } finally {
    db.close();
  }
}
