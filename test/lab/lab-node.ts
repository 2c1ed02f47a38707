import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabResources } from './resources.js';
import { ECHO_PORT, startEcho, type EchoServer } from './traffic.js';
import { WgInterface } from './wg-interface.js';
import { generateKeyPair, type WgKeyPair } from './wg-keys.js';

/** Shared by the hosts of one lab. */
export interface LabContext {
  /** Random per-lab prefix for machine-wide names (interfaces, namespaces). */
  readonly prefix: string;
  readonly res: LabResources;
  /** The lab's temp folder (mode 0700), removed on destroy. */
  readonly dir: string;
}

/** Where a client dials: a node interface's key, underlay endpoint and tunnel subnet. */
export interface ConnectTarget {
  readonly publicKey: string;
  /** `underlayIp:listenPort`. */
  readonly endpoint: string;
  /** The node's tunnel subnet, `10.200.N.0/24`: the client's allowed-ips and route. */
  readonly subnet: string;
}

export interface NodeInterfaceOptions {
  /** Appended to the node's name prefix; keep the whole ≤ 15 characters. Default `"a"`. */
  readonly label?: string;
  /** Default 51820. */
  readonly listenPort?: number;
  /** Default `10.200.<index>.1/24`. */
  readonly address?: string;
  readonly keys?: WgKeyPair;
  readonly mtu?: number;
}

/** A node host: its own namespace on the lab underlay, where interfaces and an agent live. */
export class LabNode {
  /** Folder for wg-quick files (`--conf-dir`), mode 0700; exists once `prepareConfDir()` ran. */
  readonly confDir: string;
  /** Folder for the agent's state (`--state-dir`); not created here: `agent init` makes it. */
  readonly stateDir: string;

  constructor(
    private readonly ctx: LabContext,
    /** 1-based. */
    readonly index: number,
    readonly ns: string,
    readonly underlayIp: string,
  ) {
    this.confDir = join(ctx.dir, `node${index}`, 'conf');
    this.stateDir = join(ctx.dir, `node${index}`, 'state');
  }

  /** The node's tunnel subnet by convention: `10.200.<index>.0/24`. */
  get tunnelSubnet(): string {
    return `10.200.${this.index}.0/24`;
  }

  /** `10.200.<index>.<host>`; host 1 is the node itself. */
  tunnelIp(host = 1): string {
    return `10.200.${this.index}.${host}`;
  }

  /** A machine-wide unique interface name for this node: `<prefix>n<index><label>`. */
  ifName(label = 'a'): string {
    const name = `${this.ctx.prefix}n${this.index}${label}`;
    if (name.length > 15) throw new Error(`interface name too long: ${name}`);
    return name;
  }

  /** Creates the conf folder (0700) and returns its path. */
  async prepareConfDir(): Promise<string> {
    await mkdir(this.confDir, { recursive: true, mode: 0o700 });
    return this.confDir;
  }

  /** Text of `<confDir>/<name>.conf`, or null when there is none. */
  async readConf(name: string): Promise<string | null> {
    return readFile(join(this.confDir, `${name}.conf`), 'utf8').catch(() => null);
  }

  /**
   * Creates a WireGuard interface here with wireguard-go (keys from `wg genkey` unless given),
   * listen port, tunnel address, link up. The lab owns the process.
   */
  async createWgInterface(opts: NodeInterfaceOptions = {}): Promise<WgInterface> {
    return WgInterface.start(this.ctx.res, {
      ns: this.ns,
      name: this.ifName(opts.label),
      keys: opts.keys ?? (await generateKeyPair()),
      listenPort: opts.listenPort ?? 51820,
      addresses: [opts.address ?? `${this.tunnelIp(1)}/24`],
      ...(opts.mtu === undefined ? {} : { mtu: opts.mtu }),
    });
  }

  /** What a client needs to dial interface `publicKey` listening on `listenPort` here. */
  target(publicKey: string, listenPort: number, subnet = this.tunnelSubnet): ConnectTarget {
    return { publicKey, endpoint: `${this.underlayIp}:${listenPort}`, subnet };
  }

  /** `target()` of a lab-made interface. */
  targetOf(iface: WgInterface): ConnectTarget {
    if (iface.listenPort === null) throw new Error(`${iface.name} has no fixed listen port`);
    return this.target(iface.publicKey, iface.listenPort);
  }

  /** Starts a UDP echo server on all addresses of this node (see `probe`). */
  startEcho(port = ECHO_PORT): Promise<EchoServer> {
    return startEcho(this.ctx.res, this.ns, port);
  }
}
