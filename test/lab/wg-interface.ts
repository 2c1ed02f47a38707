import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from '../support/wait-for.js';
import { WG_USERSPACE_ENV, execIn, ip } from './exec.js';
import type { LabResources } from './resources.js';
import { withSecretFile } from './secret-file.js';
import { parseWgDump, type LabDump } from './wg-dump.js';
import type { WgKeyPair } from './wg-keys.js';

/** wireguard-go's control sockets: one folder shared by every namespace. */
export const WG_SOCKET_DIR = '/var/run/wireguard';

/** A peer as `wg set IF peer …` takes it. */
export interface PeerConfig {
  readonly publicKey: string;
  readonly allowedIps: readonly string[];
  /** `host:port`; omit for a peer that dials in. */
  readonly endpoint?: string;
  /** Seconds; omit for off. */
  readonly persistentKeepalive?: number;
  /** Handed to `wg` in a 0600 file, never argv. */
  readonly presharedKey?: string;
}

/** Sets (adds or replaces) `peer` on interface `name` in namespace `ns` with `wg set`. */
export async function wgSetPeer(ns: string, name: string, peer: PeerConfig): Promise<void> {
  const args = ['set', name, 'peer', peer.publicKey, 'allowed-ips', peer.allowedIps.join(',')];
  if (peer.endpoint !== undefined) args.push('endpoint', peer.endpoint);
  args.push('persistent-keepalive', String(peer.persistentKeepalive ?? 'off'));
  if (peer.presharedKey === undefined) {
    await execIn(ns, 'wg', [...args, 'preshared-key', '/dev/null']);
    return;
  }
  await withSecretFile(peer.presharedKey, (file) =>
    execIn(ns, 'wg', [...args, 'preshared-key', file]),
  );
}

/** Removes a peer from interface `name` (no error if it is not there). */
export async function wgRemovePeer(ns: string, name: string, publicKey: string): Promise<void> {
  await execIn(ns, 'wg', ['set', name, 'peer', publicKey, 'remove']);
}

/** Raw `wg show IF dump` text (holds the private key: tests use it only to compare). */
export const wgRawDump = (ns: string, name: string) => execIn(ns, 'wg', ['show', name, 'dump']);

/** `wg show IF dump` of any WireGuard interface (lab-made or agent-made), parsed. */
export async function wgDump(ns: string, name: string): Promise<LabDump> {
  return parseWgDump(await wgRawDump(ns, name));
}

export interface WgInterfaceOptions {
  readonly ns: string;
  /** ≤ 15 characters and unique machine-wide (wireguard-go's socket folder is shared). */
  readonly name: string;
  readonly keys: WgKeyPair;
  /** Omit to let WireGuard pick a random port. */
  readonly listenPort?: number;
  /** CIDRs to put on the link, e.g. `10.200.1.1/24`. */
  readonly addresses: readonly string[];
  /** Extra routes through the interface (CIDRs), e.g. a client's route to the node's subnet. */
  readonly routes?: readonly string[];
  readonly mtu?: number;
}

/**
 * A WireGuard interface run by a `wireguard-go -f` process the lab owns (so it is stopped by its
 * PID). Create with `WgInterface.start`; `destroy()` deletes the link, which ends the process.
 */
export class WgInterface {
  private constructor(
    readonly ns: string,
    readonly name: string,
    readonly keys: WgKeyPair,
    readonly listenPort: number | null,
    readonly addresses: readonly string[],
    private readonly proc: ChildProcess,
    private readonly res: LabResources,
  ) {}

  get publicKey(): string {
    return this.keys.publicKey;
  }

  /** Starts wireguard-go in `opts.ns`, sets key and port, addresses, routes, and brings it up. */
  static async start(res: LabResources, opts: WgInterfaceOptions): Promise<WgInterface> {
    if (opts.name.length > 15) throw new Error(`interface name too long: ${opts.name}`);
    const proc = spawn('ip', ['netns', 'exec', opts.ns, 'wireguard-go', '-f', opts.name], {
      env: { ...process.env, ...WG_USERSPACE_ENV, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    if (proc.pid === undefined) throw new Error('wireguard-go did not start');
    const pid = proc.pid;
    res.pids.add(pid);
    proc.once('exit', () => res.pids.delete(pid));
    const iface = new WgInterface(
      opts.ns,
      opts.name,
      opts.keys,
      opts.listenPort ?? null,
      opts.addresses,
      proc,
      res,
    );
    try {
      await waitFor(`wireguard-go socket for ${opts.name}`, () => {
        if (proc.exitCode !== null) throw new Error(`wireguard-go exited: ${stderr}`);
        return existsSync(`${WG_SOCKET_DIR}/${opts.name}.sock`) || undefined;
      });
      await withSecretFile(opts.keys.privateKey, (file) => {
        const args = ['set', opts.name, 'private-key', file];
        if (opts.listenPort !== undefined) args.push('listen-port', String(opts.listenPort));
        return execIn(opts.ns, 'wg', args);
      });
      for (const a of opts.addresses) await ip(opts.ns, ['address', 'add', a, 'dev', opts.name]);
      if (opts.mtu !== undefined)
        await ip(opts.ns, ['link', 'set', opts.name, 'mtu', String(opts.mtu)]);
      await ip(opts.ns, ['link', 'set', opts.name, 'up']);
      for (const r of opts.routes ?? []) await ip(opts.ns, ['route', 'add', r, 'dev', opts.name]);
    } catch (e) {
      await iface.destroy();
      throw e;
    }
    return iface;
  }

  /** Adds or replaces a peer with `wg set`. */
  setPeer(peer: PeerConfig): Promise<void> {
    return wgSetPeer(this.ns, this.name, peer);
  }

  removePeer(publicKey: string): Promise<void> {
    return wgRemovePeer(this.ns, this.name, publicKey);
  }

  /** `wg show IF dump`, parsed. */
  dump(): Promise<LabDump> {
    return wgDump(this.ns, this.name);
  }

  /** True while the wireguard-go process runs. */
  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Deletes the link and waits (bounded) for wireguard-go to exit; SIGKILL if it lingers. */
  async destroy(): Promise<void> {
    if (!this.running) return;
    await ip(this.ns, ['link', 'del', this.name]).catch(() => undefined);
    const exited = (timeoutMs: number) =>
      waitFor(`wireguard-go of ${this.name} to exit`, () => !this.running || undefined, {
        timeoutMs,
      }).catch(() => undefined); // still running: escalated below, or left to the sweep
    await exited(3000);
    if (this.running) this.proc.kill('SIGKILL');
    await exited(1000);
    if (this.proc.pid !== undefined && !this.running) this.res.pids.delete(this.proc.pid);
  }
}
