import type { Transaction } from 'kysely';
import { bulkWriterFor, type BulkUpdateSpec } from '../dialects/bulk-sql.js';
import type { DatabaseHandle } from '../open-database.js';
import type { Database } from '../schema/database.js';
import { keyCheckOpens, KEY_CHECK_SETTING, sealKeyCheck } from './key-check.js';
import {
  nodeTokenBinding,
  PEER_SECRET_COLUMNS,
  peerSecretBinding,
  type PeerSecretColumn,
} from './secret-bindings.js';
import { SEALED_PREFIX, type SecretCipher } from './secret-cipher.js';

/** The database's secrets are sealed with another key than the one given. */
export class WrongSecretKeyError extends Error {
  override readonly name = 'WrongSecretKeyError';
  constructor(where: string) {
    super(
      `the secret key does not open this database's secrets (${where}): start the panel with the ` +
        `key file this database was sealed with (--secret-key-file; a backup's is FILE.key); nothing was changed`,
    );
  }
}

/** What one sealing pass did. */
export interface SealReport {
  /** Secrets found in clear and sealed, by column (named so no log redaction hides the counts). */
  readonly sealed: {
    readonly peerPrivateKeys: number;
    readonly peerPresharedKeys: number;
    readonly nodeTokens: number;
  };
  /** Whether this pass wrote the key check (a database sealed for the first time). */
  readonly firstSeal: boolean;
}

const sealed = `${SEALED_PREFIX}%`;
const updateOf = (table: 'peers' | 'nodes', column: string): BulkUpdateSpec => ({
  table,
  key: { name: 'id', type: 'integer' },
  values: [
    { name: 'sealed', type: 'text' },
    { name: 'clear', type: 'text' },
  ],
  assign: [{ column, from: 'sealed', op: 'set' }],
  // Only a row still holding the clear value read: a concurrent write is never undone.
  guard: [{ column, equals: 'clear' }],
});

/**
 * Whether the database already holds anything sealed (a key check, or a sealed value): then a
 * missing key file is an error, not a first start.
 */
export async function holdsSealedSecrets(handle: Pick<DatabaseHandle, 'db'>): Promise<boolean> {
  const db = handle.db;
  const probes: (() => Promise<unknown>)[] = [
    () =>
      db
        .selectFrom('settings')
        .select('key')
        .where('key', '=', KEY_CHECK_SETTING)
        .limit(1)
        .executeTakeFirst(),
    () =>
      db
        .selectFrom('nodes')
        .select('id')
        .where('token', 'like', sealed)
        .limit(1)
        .executeTakeFirst(),
    ...PEER_SECRET_COLUMNS.map(
      (c) => () =>
        db.selectFrom('peers').select('id').where(c, 'like', sealed).limit(1).executeTakeFirst(),
    ),
  ];
  for (const probe of probes) if (await probe()) return true;
  return false;
}

/**
 * The start-up pass, after the migrations: checks that `cipher` holds the database's key (its key
 * check, else one sealed value of each column), then seals every secret still in clear (rows of
 * an older release, a restored old backup, a tool) and writes the key check, in one transaction.
 * Idempotent: sealed values are left as they are. Throws WrongSecretKeyError before writing
 * anything when the key is not the database's.
 *
 * Why not a migration: migrations are schema steps that see only the database; the key lives
 * outside it (and a migration runs once, while clear rows can come back with an old backup).
 */
export async function sealClearSecrets(
  handle: Pick<DatabaseHandle, 'db' | 'dialect'>,
  cipher: SecretCipher,
): Promise<SealReport> {
  const run = () => handle.db.transaction().execute((trx) => sealIn(trx, handle, cipher));
  try {
    return await run();
  } catch (e) {
    // Another panel wrote the key check at the same moment: check against it and go on.
    if (handle.dialect.constraintViolation(e) === 'unique') return run();
    throw e;
  }
}

async function sealIn(
  trx: Transaction<Database>,
  handle: Pick<DatabaseHandle, 'dialect'>,
  cipher: SecretCipher,
): Promise<SealReport> {
  const check = await trx
    .selectFrom('settings')
    .select('value')
    .where('key', '=', KEY_CHECK_SETTING)
    .executeTakeFirst();
  if (check && !keyCheckOpens(cipher, check.value)) throw new WrongSecretKeyError('key check');
  if (!check) await probeSealedValues(trx, cipher);

  const bulk = bulkWriterFor(handle.dialect.name);
  const counts = { private_key: 0, preshared_key: 0, token: 0 };
  for (const column of PEER_SECRET_COLUMNS) {
    const rows = await trx
      .selectFrom('peers')
      .select(['id', 'configuration_id', 'public_key', `${column} as v`])
      .where(column, 'is not', null)
      .where(column, 'not like', sealed)
      .execute();
    counts[column] = await bulk.updateByKey(
      trx,
      updateOf('peers', column),
      rows.map((r) => [
        r.id,
        cipher.seal(r.v as string, peerSecretBinding(column, r.configuration_id, r.public_key)),
        r.v,
      ]),
    );
  }
  const nodes = await trx
    .selectFrom('nodes')
    .select(['id', 'token'])
    .where('token', 'not like', sealed)
    .execute();
  counts.token = await bulk.updateByKey(
    trx,
    updateOf('nodes', 'token'),
    nodes.map((r) => [r.id, cipher.seal(r.token, nodeTokenBinding(r.id)), r.token]),
  );
  if (!check)
    await trx
      .insertInto('settings')
      .values({ key: KEY_CHECK_SETTING, value: sealKeyCheck(cipher), updated_at: new Date() })
      .execute();
  return {
    sealed: {
      peerPrivateKeys: counts.private_key,
      peerPresharedKeys: counts.preshared_key,
      nodeTokens: counts.token,
    },
    firstSeal: !check,
  };
}

/** No key check (it was lost, or a tool sealed rows): one sealed value per column must open. */
async function probeSealedValues(trx: Transaction<Database>, cipher: SecretCipher) {
  const node = await trx
    .selectFrom('nodes')
    .select(['id', 'token'])
    .where('token', 'like', sealed)
    .limit(1)
    .executeTakeFirst();
  if (node) tryOpen(cipher, node.token, nodeTokenBinding(node.id));
  for (const column of PEER_SECRET_COLUMNS) {
    const peer = await trx
      .selectFrom('peers')
      .select(['configuration_id', 'public_key', `${column} as v`])
      .where(column, 'like', sealed)
      .limit(1)
      .executeTakeFirst();
    if (peer)
      tryOpen(
        cipher,
        peer.v as string,
        peerSecretBinding(column as PeerSecretColumn, peer.configuration_id, peer.public_key),
      );
  }
}

function tryOpen(cipher: SecretCipher, stored: string, binding: string) {
  try {
    cipher.open(stored, binding);
  } catch {
    throw new WrongSecretKeyError(binding);
  }
}
