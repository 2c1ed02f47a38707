import { join } from 'node:path';
import { readTextFile, writeFileAtomic } from '../sys/atomic-file.js';
import { ifbName } from './ifb-name.js';
import { InterfaceShape, type PeerChange, type ShapedPeer } from './interface-shape.js';
import { LIMITS_FILE, parseLimits, serializeLimits } from './limits-file.js';
import type { RateLimit } from './rate-limit.js';
import { TcBatchError, type TcCli } from './tc-cli.js';
import {
  NOTHING_SHAPED,
  allAdded,
  cleanupPlan,
  planChanges,
  type KernelShape,
  type ShapeDevices,
  type TcCaps,
  type TcCommand,
  type TcPlan,
} from './tc-plan.js';

/** A tc or ip command that failed, naming the peer it was for (if any) and the command. */
export class ShapeFailed extends Error {
  constructor(
    readonly iface: string,
    readonly peer: string | null,
    readonly command: string,
    readonly detail: string,
  ) {
    super(
      `${peer ? `rate limit of peer ${peer.slice(0, 8)}… on ${iface}` : `shaping of ${iface}`}: ` +
        `\`${command}\` failed${detail ? `: ${detail}` : ''}`,
    );
  }
}

export interface ShaperOptions {
  readonly stateDir: string;
  readonly tc: TcCli;
  readonly now: () => number;
  readonly log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** A failed rebuild is tried again after this long (or at once when the interface changes). */
const RETRY_MS = 30_000;

/** Everything the shaper keeps of one interface. */
interface InterfaceRecord {
  /** The desired shaping (saved in the limits file). */
  readonly shape: InterfaceShape;
  /** What the kernel holds, as far as this process knows; null: unknown (rebuild it whole). */
  kernel: KernelShape | null;
  /** The interface incarnation (ifindex) `kernel` is about. */
  instance: string | null;
  /** After a failed rebuild: not before this time, unless the incarnation changes. */
  retryAt: number;
  failedInstance: string | null;
}

/**
 * Per-peer speed limits with Linux traffic control, as desired state: the limits are saved in the
 * state folder (atomically, like the ledger) and the kernel is brought to them — incrementally
 * for one peer's change, whole (one `tc -batch`) when the kernel's state is unknown: after an
 * agent start, when the interface was re-created, after a failure. Every method expects the
 * caller to hold the interface's lock. Interfaces without limits are never touched.
 */
export class Shaper {
  private readonly ifaces = new Map<string, InterfaceRecord>();
  private caps: TcCaps | null = null;
  private saving: Promise<void> = Promise.resolve();

  private constructor(private readonly o: ShaperOptions) {}

  /** Loads the limits file (an unreadable one is logged and ignored: the panel sends them again). */
  static async load(o: ShaperOptions): Promise<Shaper> {
    const s = new Shaper(o);
    const text = await readTextFile(join(o.stateDir, LIMITS_FILE));
    if (text === null) return s;
    try {
      for (const [name, shape] of parseLimits(text)) s.ifaces.set(name, s.fresh(shape));
    } catch (e) {
      o.log.warn(
        { err: (e as Error).message },
        'rate limits file unreadable: no limits until the panel sends them',
      );
    }
    return s;
  }

  /** The desired shaping of an interface (for tests and the dump's readers). */
  shapeOf(iface: string): InterfaceShape | undefined {
    return this.ifaces.get(iface)?.shape;
  }

  /**
   * Sets (or, with no rate, clears) a peer's limit; `instance` is the interface's incarnation,
   * null when it is not running (the limit is then applied when it is). Throws ShapeError for an
   * address it cannot place (nothing changed), ShapeFailed when tc refused (the limit is kept and
   * retried).
   */
  async setPeer(
    iface: string,
    key: string,
    allowedIps: readonly string[],
    limit: RateLimit,
    instance: string | null,
  ): Promise<void> {
    const rec = this.ifaces.get(iface);
    if (!rec && limit.downloadBps === null && limit.uploadBps === null) return;
    const r = rec ?? this.record(iface);
    const change = r.shape.set(key, allowedIps, limit);
    if (same(change.before, change.after)) return;
    await this.apply(iface, r, change, instance);
  }

  /** The peer is gone from the interface: its limit goes too. */
  async removePeer(iface: string, key: string, instance: string | null): Promise<void> {
    const r = this.ifaces.get(iface);
    if (!r?.shape.peers.has(key)) return;
    await this.apply(iface, r, r.shape.delete(key), instance);
  }

  /**
   * The read loop saw the interface (`instance`: its incarnation, null when not running). A new
   * incarnation (or an unknown kernel state) rebuilds the shaping whole; an interface gone takes
   * its IFB with it. Failures are logged once per incarnation and retried later.
   */
  async sync(iface: string, instance: string | null): Promise<void> {
    const r = this.ifaces.get(iface);
    if (!r) return;
    if (instance === null) return this.gone(iface, r);
    if (r.kernel && r.instance === instance) return;
    if (r.failedInstance === instance && this.o.now() < r.retryAt) return;
    try {
      await this.rebuild(iface, r, instance);
    } catch (e) {
      if (r.failedInstance !== instance)
        this.o.log.warn(
          { interface: iface, err: (e as Error).message },
          'could not apply rate limits',
        );
      r.failedInstance = instance;
      r.retryAt = this.o.now() + RETRY_MS;
    }
  }

  /** Names of interfaces with limits (desired). */
  interfaces(): string[] {
    return [...this.ifaces.keys()];
  }

  /** The interface went down (by the agent or anyone): its IFB goes; limits stay for its return. */
  async interfaceDown(iface: string): Promise<void> {
    const r = this.ifaces.get(iface);
    if (r) await this.gone(iface, r);
  }

  /** The interface was deleted: its limits and its IFB go. */
  async interfaceDeleted(iface: string): Promise<void> {
    const r = this.ifaces.get(iface);
    if (!r) return;
    await this.gone(iface, r);
    this.ifaces.delete(iface);
    await this.save();
  }

  private async gone(iface: string, r: InterfaceRecord): Promise<void> {
    const hadIfb = r.kernel === null || r.kernel.upload !== null;
    // A new incarnation has none of the old shaping: rebuilt whole when it shows up.
    r.kernel = NOTHING_SHAPED;
    r.instance = null;
    if (hadIfb) await this.o.tc.ip(['link', 'del', devicesOf(iface).ifb]).catch(() => undefined);
  }

  private async apply(
    iface: string,
    r: InterfaceRecord,
    change: PeerChange,
    instance: string | null,
  ) {
    await this.save();
    if (instance === null) return this.gone(iface, r); // applied whole when it is back
    if (r.kernel && r.instance === instance) {
      const plan = planChanges(
        devicesOf(iface),
        r.kernel,
        [change],
        this.wants(r),
        await this.capsFor(iface),
      );
      r.kernel = null; // unknown until the plan ran
      await this.run(iface, plan);
      r.kernel = plan.next;
      // No limit left: the interface is left alone from now on (its qdiscs are gone).
      if (r.shape.size === 0) this.ifaces.delete(iface);
      return;
    }
    await this.rebuild(iface, r, instance);
  }

  /** Removes whatever shaping the interface has and builds the desired one in one batch. */
  private async rebuild(iface: string, r: InterfaceRecord, instance: string): Promise<void> {
    const d = devicesOf(iface);
    r.kernel = null;
    const clean = cleanupPlan(d);
    await this.o.tc.batch(clean.tc, { force: true }).catch(() => undefined);
    for (const args of clean.links) await this.o.tc.ip(args).catch(() => undefined);
    if (r.shape.size === 0) {
      r.kernel = NOTHING_SHAPED;
      r.instance = instance;
      return;
    }
    const caps = await this.capsFor(iface);
    const plan = planChanges(d, NOTHING_SHAPED, allAdded(r.shape.peers), this.wants(r), caps);
    await this.run(iface, plan);
    r.kernel = plan.next;
    r.instance = instance;
    r.failedInstance = null;
  }

  private async run(iface: string, plan: TcPlan): Promise<void> {
    for (const args of plan.before) await this.ipStep(iface, args);
    try {
      await this.o.tc.batch(plan.tc.map((c) => c.args));
    } catch (e) {
      if (!(e instanceof TcBatchError)) throw e;
      const failed: TcCommand | undefined = e.index === null ? undefined : plan.tc[e.index];
      const detail = e.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('Command failed'))
        .slice(-2)
        .join(' | ');
      throw new ShapeFailed(
        iface,
        failed?.peer ?? null,
        failed ? `tc ${failed.args.join(' ')}` : 'tc -batch',
        detail,
      );
    }
    for (const args of plan.after) await this.ipStep(iface, args);
  }

  private async ipStep(iface: string, args: readonly string[]): Promise<void> {
    try {
      await this.o.tc.ip(args);
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr ?? String(e);
      throw new ShapeFailed(iface, null, `ip ${args.join(' ')}`, stderr.trim());
    }
  }

  /** Probes the kernel once, on the interface itself (its root qdisc was just removed or is ours). */
  private async capsFor(iface: string): Promise<TcCaps> {
    this.caps ??= { fqCodel: await this.o.tc.hasFqCodel(iface) };
    return this.caps;
  }

  private wants(r: InterfaceRecord) {
    return { download: r.shape.limitedOn('download') > 0, upload: r.shape.limitedOn('upload') > 0 };
  }

  private record(iface: string): InterfaceRecord {
    const r = this.fresh(new InterfaceShape());
    this.ifaces.set(iface, r);
    return r;
  }

  private fresh(shape: InterfaceShape): InterfaceRecord {
    return { shape, kernel: null, instance: null, retryAt: 0, failedInstance: null };
  }

  private save(): Promise<void> {
    const shapes = new Map([...this.ifaces].map(([n, r]) => [n, r.shape]));
    const next = this.saving.then(() =>
      writeFileAtomic(join(this.o.stateDir, LIMITS_FILE), serializeLimits(shapes)),
    );
    this.saving = next.catch(() => undefined);
    return next;
  }
}

const devicesOf = (iface: string): ShapeDevices => ({ iface, ifb: ifbName(iface) });

function same(a: ShapedPeer | undefined, b: ShapedPeer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.slot === b.slot &&
    a.limit.downloadBps === b.limit.downloadBps &&
    a.limit.uploadBps === b.limit.uploadBps &&
    a.filters.length === b.filters.length &&
    a.filters.every((f, i) => f === b.filters[i])
  );
}
