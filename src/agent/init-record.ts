import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What `agent init` was told, kept in the state folder (`init.json`, 0600) beside the credential:
 * the join string it printed names this address, so `wgfleet agent` listens there unless a flag,
 * the environment or the config file says otherwise.
 */
export interface InitRecord {
  /** `HOST:PORT`, as given to `--listen`. */
  readonly listen: string;
  readonly publicHost: string | null;
}

const FILE = 'init.json';

/** The record, or null when init never wrote one (a state folder from before it existed). */
export async function loadInitRecord(stateDir: string): Promise<InitRecord | null> {
  let text: string;
  try {
    text = await readFile(join(stateDir, FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const value = JSON.parse(text) as Partial<InitRecord>;
  if (typeof value.listen !== 'string')
    throw new Error(`${join(stateDir, FILE)}: no "listen"; run \`wgfleet agent init\` again`);
  return { listen: value.listen, publicHost: value.publicHost ?? null };
}

/** Writes the record (mode 0600; the folder exists: the credential is saved first). */
export async function saveInitRecord(stateDir: string, record: InitRecord): Promise<void> {
  const path = join(stateDir, FILE);
  await rm(path, { force: true });
  await writeFile(path, JSON.stringify(record) + '\n', { mode: 0o600, flag: 'wx' });
}
