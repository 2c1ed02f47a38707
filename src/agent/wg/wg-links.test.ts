import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWgInterfaces } from './wg-links.js';

describe('listing WireGuard interfaces without spawning wg', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-links-'));
    const link = async (name: string, uevent: string) => {
      await mkdir(join(dir, 'net', name), { recursive: true });
      await writeFile(join(dir, 'net', name, 'uevent'), uevent);
    };
    await link('lo', 'INTERFACE=lo\nIFINDEX=1\n');
    await link('wg0', 'DEVTYPE=wireguard\nINTERFACE=wg0\nIFINDEX=5\n');
    await link('wgu1', 'INTERFACE=wgu1\nIFINDEX=6\n'); // a tun device: known by its socket
    await mkdir(join(dir, 'sock'));
    await writeFile(join(dir, 'sock', 'wgu1.sock'), '');
    await writeFile(join(dir, 'sock', 'other.sock'), '');
    await writeFile(join(dir, 'sock', 'notes.txt'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists kernel interfaces from sysfs and userspace ones from their sockets', async () => {
    expect(
      await listWgInterfaces(join(dir, 'net'), [join(dir, 'sock'), join(dir, 'missing')]),
    ).toEqual(['other', 'wg0', 'wgu1']);
  });
});
