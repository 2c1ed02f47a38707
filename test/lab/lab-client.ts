import type { ConnectTarget, LabContext } from './lab-node.js';
import { probe, sendUdp, type ProbeOptions, type SendOptions, type SentUdp } from './traffic.js';
import type { LabDump } from './wg-dump.js';
import { WgInterface, type PeerConfig } from './wg-interface.js';
import { generateKeyPair, type WgKeyPair } from './wg-keys.js';

export interface ConnectOptions {
  /** Tunnel address (CIDR); default `<subnet base>.<100 + client index>/32`. */
  readonly address?: string;
  /** Seconds; omit for off. */
  readonly persistentKeepalive?: number;
  readonly presharedKey?: string;
  /** Default `51900 + index`, so a node may be given the client's endpoint. */
  readonly listenPort?: number;
}

/**
 * A client host: its own namespace on the underlay and (once `connect`ed) one WireGuard
 * interface whose single peer is a node interface. Make its keys first with `keys()` — to
 * register the public key on the node — then `connect()`.
 */
export class LabClient {
  private keyPair: WgKeyPair | null = null;
  private iface: WgInterface | null = null;
  private peer: PeerConfig | null = null;
  private address: string | null = null;

  constructor(
    private readonly ctx: LabContext,
    /** 1-based. */
    readonly index: number,
    readonly ns: string,
    readonly underlayIp: string,
  ) {}

  /** The client's interface name: `<prefix>c<index>`. */
  get ifName(): string {
    return `${this.ctx.prefix}c${this.index}`;
  }

  /** The key pair, generated on first call (`wg genkey`), the same afterwards. */
  async keys(): Promise<WgKeyPair> {
    this.keyPair ??= await generateKeyPair();
    return this.keyPair;
  }

  /** The client's tunnel address without prefix length, once connected. */
  get tunnelIp(): string {
    if (this.address === null) throw new Error(`client ${this.index} is not connected`);
    return this.address.split('/')[0] ?? '';
  }

  /** The default tunnel address of this client inside `subnet` (a /24). */
  addressIn(subnet: string): string {
    const base = subnet.split('.').slice(0, 3).join('.');
    return `${base}.${100 + this.index}/32`;
  }

  /** Brings the client's interface up with `target` as its only peer; a previous one goes. */
  async connect(target: ConnectTarget, opts: ConnectOptions = {}): Promise<WgInterface> {
    await this.disconnect();
    const address = opts.address ?? this.addressIn(target.subnet);
    this.iface = await WgInterface.start(this.ctx.res, {
      ns: this.ns,
      name: this.ifName,
      keys: await this.keys(),
      listenPort: opts.listenPort ?? 51900 + this.index,
      addresses: [address],
      routes: [target.subnet],
    });
    this.address = address;
    this.peer = {
      publicKey: target.publicKey,
      endpoint: target.endpoint,
      allowedIps: [target.subnet],
      ...(opts.persistentKeepalive === undefined
        ? {}
        : { persistentKeepalive: opts.persistentKeepalive }),
      ...(opts.presharedKey === undefined ? {} : { presharedKey: opts.presharedKey }),
    };
    await this.iface.setPeer(this.peer);
    return this.iface;
  }

  /** The client's `host:port` on the underlay, once connected. */
  get endpoint(): string {
    return `${this.underlayIp}:${this.connected.listenPort ?? 0}`;
  }

  /** The client's interface; throws when not connected. */
  get connected(): WgInterface {
    if (!this.iface) throw new Error(`client ${this.index} is not connected`);
    return this.iface;
  }

  /**
   * Drops the client's session and re-adds its peer, as a client that reconnects: the next
   * packet starts a fresh handshake at once (instead of after WireGuard's ~15 s rekey timeout
   * when the node forgot the session, e.g. after the peer was removed or the interface restarted).
   */
  async reconnect(): Promise<void> {
    if (!this.peer) throw new Error(`client ${this.index} is not connected`);
    await this.connected.removePeer(this.peer.publicKey);
    await this.connected.setPeer(this.peer);
  }

  /** `wg show IF dump` of the client's interface. */
  dump(): Promise<LabDump> {
    return this.connected.dump();
  }

  /** Echo round-trip from this client to `dstIp` (see `probe`). */
  probe(dstIp: string, opts?: ProbeOptions): Promise<boolean> {
    return probe(this.ns, dstIp, opts);
  }

  /** Sends UDP bytes from this client to `dstIp:port` (see `sendUdp`). */
  sendUdp(dstIp: string, port: number, totalBytes: number, opts?: SendOptions): Promise<SentUdp> {
    return sendUdp(this.ns, dstIp, port, totalBytes, opts);
  }

  /** Takes the client's interface down (idempotent). */
  async disconnect(): Promise<void> {
    await this.iface?.destroy();
    this.iface = null;
    this.peer = null;
    this.address = null;
  }
}
