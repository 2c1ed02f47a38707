import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner, StreamedProcess } from '../sys/process-runner.js';

/** What a peer should look like on the interface; the full desired state, not a patch. */
export interface PeerSpec {
  readonly publicKey: string;
  readonly allowedIps: readonly string[];
  readonly presharedKey: string | null;
  readonly persistentKeepalive: number | null;
  readonly endpoint: string | null;
}

/** The narrow port the agent needs over `wg` and `wg-quick`. */
export interface WgCli {
  /** Names `wg show interfaces` lists (on wireguard-go: every socket, from any namespace). */
  interfaces(): Promise<string[]>;
  /** Raw `wg show IF dump` text; it holds secrets, so parse it with `parseDump` at once. */
  dump(iface: string): Promise<string>;
  /** Raw `wg show IF transfer` text (public key, rx, tx per peer; no secret): the cheap read. */
  transfer(iface: string): Promise<string>;
  /** `wg show IF dump` as it is printed (for `dumpJson`, which skips the secrets). */
  dumpStream(iface: string): StreamedProcess;
  /** Raw `wg showconf IF`; holds the private key, used only to write the interface's conf file. */
  showConf(iface: string): Promise<string>;
  setPeer(iface: string, peer: PeerSpec): Promise<void>;
  removePeer(iface: string, publicKey: string): Promise<void>;
  quickUp(confPath: string): Promise<void>;
  quickDown(confPath: string): Promise<void>;
}

export interface WgCliOptions {
  readonly wg: string;
  readonly wgQuick: string;
}

/**
 * Hands a secret to `wg` as a file: a 0600 file in a fresh 0700 folder, removed right after.
 * (`/dev/stdin` is not an option: Node gives a child a socket, which `wg` cannot fopen.)
 */
async function withSecretFile<T>(secret: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-'));
  try {
    const path = join(dir, 'key');
    await writeFile(path, `${secret}\n`, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `WgCli` over wireguard-tools. Every call is an argument array; the preshared key goes through
 * a 0600 temporary file, never argv.
 */
export function createWgCli(runner: ProcessRunner, bins: WgCliOptions): WgCli {
  const wg = (args: string[]) => runner.run(bins.wg, args);
  return {
    async interfaces() {
      const { stdout } = await wg(['show', 'interfaces']);
      return stdout.split(/\s+/).filter((n) => n.length > 0);
    },
    async dump(iface) {
      return (await wg(['show', iface, 'dump'])).stdout;
    },
    async transfer(iface) {
      return (await wg(['show', iface, 'transfer'])).stdout;
    },
    dumpStream(iface) {
      return runner.stream(bins.wg, ['show', iface, 'dump']);
    },
    async showConf(iface) {
      return (await wg(['showconf', iface])).stdout;
    },
    async setPeer(iface, peer) {
      const args = ['set', iface, 'peer', peer.publicKey];
      args.push('allowed-ips', peer.allowedIps.join(','));
      args.push(
        'persistent-keepalive',
        peer.persistentKeepalive ? String(peer.persistentKeepalive) : 'off',
      );
      if (peer.endpoint !== null) args.push('endpoint', peer.endpoint);
      if (peer.presharedKey === null) await wg([...args, 'preshared-key', '/dev/null']);
      else await withSecretFile(peer.presharedKey, (file) => wg([...args, 'preshared-key', file]));
    },
    async removePeer(iface, publicKey) {
      await wg(['set', iface, 'peer', publicKey, 'remove']);
    },
    async quickUp(confPath) {
      await runner.run(bins.wgQuick, ['up', confPath], { timeoutMs: 60_000 });
    },
    async quickDown(confPath) {
      await runner.run(bins.wgQuick, ['down', confPath], { timeoutMs: 60_000 });
    },
  };
}
