import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretKeyFile, readSecretKeyFile, SecretKeyFileError } from './secret-key-file.js';

describe('the secret key file', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-key-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is created with 32 random bytes, mode 0600, its folder 0700, whatever the umask', async () => {
    const path = join(dir, 'new', 'secret.key');
    const old = process.umask(0);
    try {
      const key = await createSecretKeyFile(path);
      expect(key.length).toBe(32);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o700);
      expect(await readFile(path)).toEqual(key);
      expect(await readSecretKeyFile(path)).toEqual(key);
    } finally {
      process.umask(old);
    }
    // Never over a file that is there; nothing left behind.
    await expect(createSecretKeyFile(path)).rejects.toMatchObject({ code: 'EEXIST' });
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(dir, 'new'))).toEqual(['secret.key']);
    expect(await readSecretKeyFile(join(dir, 'none.key'))).toBeNull();
  });

  it('refuses a file others can read, of the wrong length, or not a file, without showing it', async () => {
    const key = Buffer.alloc(32, 7);
    const open = join(dir, 'open.key');
    await writeFile(open, key, { mode: 0o600 });
    await chmod(open, 0o640);
    await expect(readSecretKeyFile(open)).rejects.toThrow(SecretKeyFileError);
    await expect(readSecretKeyFile(open)).rejects.toThrow(/mode 0640 .*`chmod 600/);
    await chmod(open, 0o400);
    expect(await readSecretKeyFile(open)).toEqual(key);

    const text = join(dir, 'text.key');
    await writeFile(text, `${key.toString('base64')}\n`, { mode: 0o600 });
    const err = await readSecretKeyFile(text).catch((e: Error) => e);
    expect(String(err)).toMatch(/holds 45 bytes, a secret key is exactly 32/);
    expect(String(err)).not.toContain(key.toString('base64'));
    const empty = join(dir, 'empty.key');
    await writeFile(empty, '', { mode: 0o600 });
    await expect(readSecretKeyFile(empty)).rejects.toThrow(/holds 0 bytes/);

    const folder = join(dir, 'folder.key');
    await mkdir(folder, { mode: 0o700 });
    await expect(readSecretKeyFile(folder)).rejects.toThrow(/is not a file/);

    const shared = join(dir, 'shared');
    await mkdir(shared, { mode: 0o700 });
    await chmod(shared, 0o777);
    await writeFile(join(shared, 'secret.key'), key, { mode: 0o600 });
    await expect(readSecretKeyFile(join(shared, 'secret.key'))).rejects.toThrow(
      /writable by group or others/,
    );
  });
});
