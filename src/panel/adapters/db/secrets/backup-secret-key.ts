import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createAesGcmCipher } from './aes-gcm-cipher.js';
import { keyCheckOpens, KEY_CHECK_SETTING } from './key-check.js';
import { nodeTokenBinding, PEER_SECRET_COLUMNS, peerSecretBinding } from './secret-bindings.js';
import { SEALED_PREFIX } from './secret-cipher.js';
import { readSecretKeyFile, SecretKeyFileError, writeSecretKeyFile } from './secret-key-file.js';

/** Where `wgfleet panel backup --out FILE` puts the secret key: beside the backup. */
export const backupKeyFileOf = (backupFile: string) => `${backupFile}.key`;

/** What a SQLite backup holds sealed: its key check, or one sealed value (with its binding). */
interface SealedSample {
  readonly keyCheck: string | null;
  readonly value: { readonly sealed: string; readonly binding: string } | null;
}

/** Reads what tells a backup's key (read-only); null when the backup holds nothing sealed. */
function sealedSampleOf(file: string): SealedSample | null {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY_CHECK_SETTING) as
      { value: string } | undefined;
    const like = `${SEALED_PREFIX}%`;
    const node = db.prepare('SELECT id, token FROM nodes WHERE token LIKE ? LIMIT 1').get(like) as
      { id: number | bigint; token: string } | undefined;
    let value: SealedSample['value'] = node
      ? { sealed: node.token, binding: nodeTokenBinding(Number(node.id)) }
      : null;
    for (const column of PEER_SECRET_COLUMNS) {
      if (value) break;
      const peer = db
        .prepare(
          `SELECT configuration_id AS c, public_key AS p, ${column} AS v FROM peers WHERE ${column} LIKE ? LIMIT 1`,
        )
        .get(like) as { c: number | bigint; p: string; v: string } | undefined;
      if (peer)
        value = { sealed: peer.v, binding: peerSecretBinding(column, Number(peer.c), peer.p) };
    }
    return check || value ? { keyCheck: check?.value ?? null, value } : null;
  } finally {
    db.close();
  }
}

/** Whether a SQLite database file holds anything sealed (then its key is needed to use it). */
export const sqliteHoldsSealedSecrets = (file: string): boolean => sealedSampleOf(file) !== null;

function opens(key: Buffer, sample: SealedSample): boolean {
  const cipher = createAesGcmCipher(key);
  if (sample.keyCheck !== null) return keyCheckOpens(cipher, sample.keyCheck);
  if (!sample.value) return true;
  try {
    cipher.open(sample.value.sealed, sample.value.binding);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies the panel's key file beside a backup (`FILE.key`, 0600). Returns its path, or null when
 * the panel has no key file yet (a database that was never sealed). Replaces an older copy there.
 */
export async function copyKeyBesideBackup(
  keyFile: string,
  backupFile: string,
): Promise<string | null> {
  const key = await readSecretKeyFile(keyFile);
  if (!key) return null;
  const target = backupKeyFileOf(backupFile);
  await rm(target, { force: true });
  await writeSecretKeyFile(target, key);
  return target;
}

/** The key a restore puts in place (null: none needed, or the one there already fits). */
export interface KeyRestorePlan {
  readonly key: Buffer | null;
  readonly target: string;
  readonly source: string | null;
}

/**
 * Decides, before anything is written, what a restore does with the secret key. `keyFrom` is the
 * backup's key (`--key`, else `FILE.key` when it exists); `keyTo` where the restored panel reads
 * it. Refuses: a key that does not open the backup; a key file at `keyTo` holding another key; a
 * sealed backup with no key given and none in place (the message says where it must go).
 */
export async function planKeyRestore(o: {
  readonly backup: string;
  readonly keyFrom: string | undefined;
  readonly keyTo: string;
}): Promise<KeyRestorePlan> {
  const sample = sealedSampleOf(o.backup);
  const sourcePath =
    o.keyFrom ?? (existsSync(backupKeyFileOf(o.backup)) ? backupKeyFileOf(o.backup) : null);
  const source = sourcePath ? await readSecretKeyFile(sourcePath) : null;
  if (sourcePath && !source) throw new SecretKeyFileError(sourcePath, 'does not exist');
  const there = await readSecretKeyFile(o.keyTo);
  if (source && sample && !opens(source, sample))
    throw new SecretKeyFileError(
      sourcePath ?? '',
      `is not the key of ${o.backup}: its node tokens and peer keys do not open with it`,
    );
  if (source && there) {
    if (!source.equals(there))
      throw new SecretKeyFileError(
        o.keyTo,
        'exists and holds another key: restore into a new data folder, or give --secret-key-file a new path',
      );
    return { key: null, target: o.keyTo, source: sourcePath };
  }
  if (source) return { key: source, target: o.keyTo, source: sourcePath };
  if (!sample) return { key: null, target: o.keyTo, source: null }; // nothing sealed: none needed
  if (there && opens(there, sample)) return { key: null, target: o.keyTo, source: null };
  if (there)
    throw new SecretKeyFileError(
      o.keyTo,
      `is not the key of ${o.backup}: its secrets do not open with it`,
    );
  throw new Error(
    `${o.backup} holds node tokens and peer keys sealed with a secret key, and no key was given: ` +
      `give it with --key FILE (\`wgfleet panel backup\` writes it beside the backup as ${backupKeyFileOf(o.backup)}), ` +
      `or put it at ${o.keyTo} (mode 0600) first. Without it the stored keys are unusable`,
  );
}

/** Writes the planned key (never over an existing file). */
export async function applyKeyRestore(plan: KeyRestorePlan): Promise<void> {
  if (plan.key) await writeSecretKeyFile(plan.target, plan.key);
}
