import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import type { Cleanup } from './cleanup.js';
import { OwnedProcess, run, runIn, waitFor } from './proc.js';

/** wireguard-go's control sockets: one folder shared by every namespace on the host. */
const WG_SOCKET_DIR = '/var/run/wireguard';
const USERSPACE_ENV = { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1' };
/** The interface takes 10.0.0.1/8; peer i gets the (i + 2)-th address of 10.0.0.0/8. */
export const MAX_PEERS = 2 ** 24 - 3;

export interface WgFixture {
  readonly ns: string;
  readonly iface: string;
  readonly wireguardGo: OwnedProcess;
}

/** `10.a.b.c/32` for peer `i`. */
function peerAddress(i: number): string {
  const n = i + 2;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}/32`;
}

/** A `wg setconf` file: the interface's private key and `peers` random public keys. */
function setconfText(privateKey: string, peers: number): string {
  const parts = [`[Interface]\nPrivateKey = ${privateKey}\n`];
  const seen = new Set<string>();
  for (let i = 0; i < peers; i++) {
    let key = randomBytes(32).toString('base64');
    while (seen.has(key)) key = randomBytes(32).toString('base64');
    seen.add(key);
    parts.push(`[Peer]\nPublicKey = ${key}\nAllowedIPs = ${peerAddress(i)}\n`);
  }
  return parts.join('\n');
}

/**
 * Builds a fresh network namespace (lo up) holding a wireguard-go interface with `peers` peers,
 * loaded with one `wg setconf` from a 0600 file, addressed and up. Every step registers its undo
 * with `cleanup`. The names carry a random suffix: wireguard-go's socket folder is shared.
 */
export async function createWgFixture(cleanup: Cleanup, peers: number): Promise<WgFixture> {
  const suffix = randomBytes(4).toString('hex');
  const ns = `wgbench-${suffix}`;
  const iface = `wgb${suffix}`;

  await run('ip', ['netns', 'add', ns]);
  cleanup.add(`delete netns ${ns}`, () => run('ip', ['netns', 'delete', ns]));
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);

  const socket = join(WG_SOCKET_DIR, `${iface}.sock`);
  const wireguardGo = OwnedProcess.start(
    'wireguard-go',
    'ip',
    ['netns', 'exec', ns, 'wireguard-go', '-f', iface],
    { env: USERSPACE_ENV },
  );
  cleanup.add(`stop wireguard-go ${iface}`, async () => {
    await wireguardGo.stop();
    await rm(socket, { force: true }); // left behind only if it had to be killed
  });
  await waitFor(`wireguard-go's socket ${socket}`, () => {
    if (!wireguardGo.running)
      throw new Error(`wireguard-go exited early:\n${wireguardGo.output()}`);
    return existsSync(socket);
  });

  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-conf-'));
  try {
    const file = join(dir, 'setconf.conf');
    await writeFile(file, setconfText(generateWgKeyPair().privateKey, peers), { mode: 0o600 });
    await runIn(ns, 'wg', ['setconf', iface, file], { timeoutMs: 300_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await run('ip', ['-n', ns, 'address', 'add', '10.0.0.1/8', 'dev', iface]);
  await run('ip', ['-n', ns, 'link', 'set', iface, 'up']);
  return { ns, iface, wireguardGo };
}
