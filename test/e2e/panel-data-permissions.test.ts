// The panel's SQLite data on a real folder, with the real CLI: the database and its -wal/-shm are
// 0600 whatever the umask (here 000), also when the data folder already exists; an existing
// database left readable by others is made private; a data folder or database writable by group
// or others makes the panel refuse to start, saying which path and what to do.
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PanelProcess } from '../lab/index.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('panel data folder permissions', () => {
  let root = '';
  let umask = 0;
  const running: PanelProcess[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wgfleet-perms-'));
    umask = process.umask(0); // the children inherit it: the most permissive umask there is
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
  });
  afterAll(async () => {
    process.umask(umask);
    if (root) await rm(root, { recursive: true, force: true });
  });

  const start = async (dataDir: string) => {
    const panel = await PanelProcess.start({
      args: ['--data-dir', dataDir, '--log-level', 'warn'],
    });
    running.push(panel);
    return panel;
  };
  const refusal = async (dataDir: string) => {
    const panel = await PanelProcess.spawn({
      args: ['--data-dir', dataDir, '--log-level', 'warn'],
    });
    running.push(panel);
    expect(await panel.exited).toBe(1);
    return panel.output();
  };

  it('creates the database and its -wal/-shm 0600 in a data folder that already exists', async () => {
    const dataDir = join(root, 'existing');
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    await start(dataDir);
    const db = join(dataDir, 'wgfleet.db');
    for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(await modeOf(file), file).toBe(0o600);
  });

  it('makes an existing database readable by others private again', async () => {
    const dataDir = join(root, 'readable');
    await mkdir(dataDir, { mode: 0o700 });
    await start(dataDir).then((p) => p.stop());
    const db = join(dataDir, 'wgfleet.db');
    await chmod(db, 0o644);
    await start(dataDir);
    expect(await modeOf(db)).toBe(0o600);
  });

  it('refuses a data folder writable by others, naming it', async () => {
    const dataDir = join(root, 'open-folder');
    await mkdir(dataDir);
    await chmod(dataDir, 0o777);
    const out = await refusal(dataDir);
    expect(out).toContain(`${dataDir} is writable by group or others (mode 0777)`);
    expect(out).toContain('chmod go-w');
  });

  it('refuses a database file writable by group, naming it', async () => {
    const dataDir = join(root, 'open-file');
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(join(dataDir, 'wgfleet.db'), '');
    await chmod(join(dataDir, 'wgfleet.db'), 0o664);
    const out = await refusal(dataDir);
    expect(out).toContain(`${join(dataDir, 'wgfleet.db')} is writable by group or others`);
  });
});
