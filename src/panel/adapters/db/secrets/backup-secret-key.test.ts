import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../open-database.js';
import {
  applyKeyRestore,
  backupKeyFileOf,
  copyKeyBesideBackup,
  planKeyRestore,
  sqliteHoldsSealedSecrets,
} from './backup-secret-key.js';

describe('the secret key of a SQLite backup', () => {
  let dir = '';
  let sealedDb = '';
  let clearDb = '';
  let key = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-backup-key-'));
    sealedDb = join(dir, 'sealed.db');
    key = join(dir, 'panel', 'secret.key');
    const handle = await connectDatabase(`sqlite:${sealedDb}`, { secretKeyFile: key });
    const node = await handle.insertReturningId('nodes', {
      name: 'n',
      url: 'https://192.0.2.1:8787',
      token: 'a-token-that-the-start-up-pass-will-seal-for-sure',
      fingerprint: 'ab',
    });
    await handle.close();
    // Sealed at the next start (the row above was written in clear, past the repositories).
    const again = await connectDatabase(`sqlite:${sealedDb}`, { secretKeyFile: key });
    expect(again.secretKey?.sealed.nodeTokens).toBe(1);
    expect(node).toBeGreaterThan(0);
    await again.close();
    clearDb = join(dir, 'clear.db');
    await (await connectDatabase(`sqlite:${clearDb}`)).close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is copied beside the backup, 0600, replacing an older copy', async () => {
    const copy = await copyKeyBesideBackup(key, sealedDb);
    expect(copy).toBe(backupKeyFileOf(sealedDb));
    expect((await stat(copy ?? '')).mode & 0o777).toBe(0o600);
    expect(await readFile(copy ?? '')).toEqual(await readFile(key));
    expect(await copyKeyBesideBackup(key, sealedDb)).toBe(copy);
    expect(await copyKeyBesideBackup(join(dir, 'none.key'), clearDb)).toBeNull();
    expect(sqliteHoldsSealedSecrets(sealedDb)).toBe(true);
    expect(sqliteHoldsSealedSecrets(clearDb)).toBe(false);
  });

  it('is put in place when it opens the backup, and only then', async () => {
    const keyTo = join(dir, 'r1', 'secret.key');
    const plan = await planKeyRestore({ backup: sealedDb, keyFrom: undefined, keyTo });
    expect(plan).toMatchObject({ target: keyTo, source: backupKeyFileOf(sealedDb) });
    await applyKeyRestore(plan);
    expect(await readFile(keyTo)).toEqual(await readFile(key));
    expect((await stat(keyTo)).mode & 0o777).toBe(0o600);
    // Already there and the same: nothing to write.
    expect((await planKeyRestore({ backup: sealedDb, keyFrom: undefined, keyTo })).key).toBeNull();

    const other = join(dir, 'other.key');
    await writeFile(other, randomBytes(32), { mode: 0o600 });
    await expect(
      planKeyRestore({ backup: sealedDb, keyFrom: other, keyTo: join(dir, 'r2', 'secret.key') }),
    ).rejects.toThrow(/other\.key: is not the key of .*sealed\.db/);
    await expect(planKeyRestore({ backup: sealedDb, keyFrom: key, keyTo: other })).rejects.toThrow(
      /other\.key: exists and holds another key/,
    );
    await expect(
      planKeyRestore({ backup: sealedDb, keyFrom: join(dir, 'gone.key'), keyTo }),
    ).rejects.toThrow(/gone\.key: does not exist/);
  });

  it('must be given for a sealed backup, and says where it goes; a clear one needs none', async () => {
    const lone = join(dir, 'lone', 'sealed.db');
    await mkdir(join(dir, 'lone'));
    await copyFile(sealedDb, lone);
    const keyTo = join(dir, 'r3', 'secret.key');
    const err = await planKeyRestore({ backup: lone, keyFrom: undefined, keyTo }).catch(
      (e: Error) => e,
    );
    expect(String(err)).toMatch(
      /sealed with a secret key, and no key was given: give it with --key/,
    );
    expect(String(err)).toContain(`put it at ${keyTo}`);
    expect(String(err)).toContain('Without it the stored keys are unusable');
    // The operator put it there first: that works too.
    await mkdir(join(dir, 'r3'), { mode: 0o700 });
    await copyFile(key, keyTo);
    expect(await planKeyRestore({ backup: lone, keyFrom: undefined, keyTo })).toMatchObject({
      key: null,
      source: null,
    });
    expect(
      await planKeyRestore({ backup: clearDb, keyFrom: undefined, keyTo: join(dir, 'r4', 'k') }),
    ).toMatchObject({ key: null, source: null });
  });
});
