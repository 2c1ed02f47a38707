import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickUnderlayBase, randomPrefix } from './addressing.js';
import { LabClient } from './lab-client.js';
import { LabNode, type LabContext } from './lab-node.js';
import { createHub, createNamespace, plugIntoHub, plugRootIntoHub } from './netns.js';
import { LabResources, guard, unguard } from './resources.js';
import { sweepStrayWireguard } from './sweep.js';

export interface LabOptions {
  /** Node hosts (namespaces `<prefix>-node<i>`, underlay `.10 + i`). Default 1, at most 80. */
  readonly nodes?: number;
  /** Client hosts (namespaces `<prefix>-client<j>`, underlay `.100 + j`). Default 1, ≤ 150. */
  readonly clients?: number;
}

/**
 * A throw-away network of namespaces on one machine:
 *
 * ```
 *   root ns (test process) ─ <prefix>h ══ hub ns: br0 ══ node1 … nodeN, client1 … clientM
 * ```
 *
 * Every host gets `eth0` on one random `10.X.Y.0/24` underlay (`.1` is the root side, so the
 * test reaches agents over TCP). Nodes hold WireGuard interfaces and agents; clients dial them.
 * Names that must be unique machine-wide carry the lab's random `prefix`. Build it in
 * `beforeAll`, `destroy()` it in `afterAll`; a process 'exit' safety net cleans up otherwise.
 */
export class Lab {
  private readonly closers: (() => Promise<void>)[] = [];
  private destroyed = false;

  private constructor(
    private readonly ctx: LabContext,
    /** `10.X.Y`: the underlay's first three octets. */
    readonly underlayBase: string,
    readonly nodes: readonly LabNode[],
    readonly clients: readonly LabClient[],
  ) {}

  /** The lab's random prefix (`w` + 4 chars). */
  get prefix(): string {
    return this.ctx.prefix;
  }

  /** The lab's temp folder (0700), removed on destroy. */
  get dir(): string {
    return this.ctx.dir;
  }

  /** The root namespace's address on the underlay. */
  get hostIp(): string {
    return `${this.underlayBase}.1`;
  }

  /** Namespaces of this lab (hub first). */
  get namespaces(): string[] {
    return [...this.ctx.res.namespaces];
  }

  /** Builds the lab. On failure, whatever was made is torn down before the error surfaces. */
  static async create(opts: LabOptions = {}): Promise<Lab> {
    const nodeCount = opts.nodes ?? 1;
    const clientCount = opts.clients ?? 1;
    if (nodeCount > 80 || clientCount > 150) throw new Error('too many hosts for one /24');
    const prefix = randomPrefix();
    const res = new LabResources(prefix);
    guard(res);
    const dir = await mkdtemp(join(tmpdir(), `wgfleet-lab-${prefix}-`));
    res.tempDirs.add(dir);
    const ctx: LabContext = { prefix, res, dir };
    try {
      const base = await pickUnderlayBase();
      const hub = `${prefix}-hub`;
      await createHub(res, hub);
      await plugRootIntoHub(res, hub, `${prefix}h`, `${base}.1/24`);
      const nodes: LabNode[] = [];
      for (let i = 1; i <= nodeCount; i++) {
        const ns = `${prefix}-node${i}`;
        await createNamespace(res, ns);
        await plugIntoHub(hub, `n${i}`, ns, `${base}.${10 + i}/24`);
        nodes.push(new LabNode(ctx, i, ns, `${base}.${10 + i}`));
      }
      const clients: LabClient[] = [];
      for (let j = 1; j <= clientCount; j++) {
        const ns = `${prefix}-client${j}`;
        await createNamespace(res, ns);
        await plugIntoHub(hub, `c${j}`, ns, `${base}.${100 + j}/24`);
        clients.push(new LabClient(ctx, j, ns, `${base}.${100 + j}`));
      }
      return new Lab(ctx, base, nodes, clients);
    } catch (e) {
      await new Lab(ctx, '', [], []).destroy();
      throw e;
    }
  }

  /** Node `i` (1-based). */
  node(i: number): LabNode {
    const n = this.nodes[i - 1];
    if (!n) throw new Error(`no node ${i} in this lab`);
    return n;
  }

  /** Client `j` (1-based). */
  client(j: number): LabClient {
    const c = this.clients[j - 1];
    if (!c) throw new Error(`no client ${j} in this lab`);
    return c;
  }

  /** Registers work for `destroy()` to do first (e.g. stopping an agent); run newest first. */
  onDestroy(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /** The resources record (PIDs, namespaces, …): for helpers that start processes. */
  get resources(): LabResources {
    return this.ctx.res;
  }

  /**
   * Tears everything down: registered closers (agents), clients' interfaces, lab processes
   * (by PID), WireGuard links and their wireguard-go daemons, namespaces, the root veth, the
   * temp folder. Idempotent; never throws.
   */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    for (const c of this.clients) await c.disconnect().catch(() => undefined);
    await sweepStrayWireguard(this.ctx.prefix, [...this.ctx.res.namespaces]).catch(() => undefined);
    this.ctx.res.destroySync();
    unguard(this.ctx.res);
  }
}
