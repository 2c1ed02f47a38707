import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import type { SystemStatus } from '../../shared/wire/agent-system.js';
import {
  diskMounts,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseRouteMetrics,
  percentOf,
  type NetDevCounters,
} from './proc-parsers.js';

/** What the reader needs of the host; tests hand fixtures. */
export interface SystemSources {
  readText(path: string): Promise<string>;
  statfs(path: string): Promise<{ blocks: number; bfree: number; bavail: number; bsize: number }>;
  cpus(): { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[];
  loadavg(): number[];
  uptime(): number;
  hostname(): string;
  now(): Date;
}

export const hostSources: SystemSources = {
  readText: (path) => readFile(path, 'utf8'),
  statfs: (path) => statfs(path),
  cpus: () => os.cpus(),
  loadavg: () => os.loadavg(),
  uptime: () => os.uptime(),
  hostname: () => os.hostname(),
  now: () => new Date(),
};

type CpuTimes = ReturnType<SystemSources['cpus']>[number]['times'];
const busyOf = (t: CpuTimes) => t.user + t.nice + t.sys + t.irq;

/**
 * Reads the node's status from /proc, statfs and `os`. CPU shares and network rates are over
 * the time since the previous read (CPU: since boot on the first), as psutil's are over its
 * sampling second; nothing samples in the background.
 */
export class SystemReader {
  private lastCpus: CpuTimes[] | null = null;
  private lastNet: { at: number; byName: Map<string, NetDevCounters> } | null = null;

  constructor(private readonly sources: SystemSources = hostSources) {}

  async read(): Promise<SystemStatus> {
    const s = this.sources;
    const [meminfo, netDev, mounts, routes] = await Promise.all([
      s.readText('/proc/meminfo'),
      s.readText('/proc/net/dev'),
      s.readText('/proc/mounts'),
      s.readText('/proc/net/route').catch(() => ''),
    ]);
    const at = s.now();
    const mem = parseMeminfo(meminfo);
    const memTotal = mem.get('MemTotal') ?? 0;
    const memAvailable = mem.get('MemAvailable') ?? mem.get('MemFree') ?? 0;
    const swapTotal = mem.get('SwapTotal') ?? 0;
    const swapFree = mem.get('SwapFree') ?? 0;
    const disks = await Promise.all(
      diskMounts(parseMounts(mounts)).map(async (m) => {
        const f = await s.statfs(m.mount).catch(() => null);
        if (!f) return null;
        const total = f.blocks * f.bsize;
        const free = f.bavail * f.bsize;
        const used = (f.blocks - f.bfree) * f.bsize;
        // As df and psutil: used over what a user can fill (used + available).
        return {
          mount: m.mount,
          fs_type: m.fsType,
          total,
          used,
          free,
          percent: percentOf(used, used + free),
        };
      }),
    );
    return {
      hostname: s.hostname(),
      at: at.toISOString(),
      uptime_seconds: s.uptime(),
      load: s.loadavg().map((l) => Math.round(l * 100) / 100),
      cpu: this.cpu(),
      memory: {
        total: memTotal,
        available: memAvailable,
        percent: percentOf(memTotal - memAvailable, memTotal),
      },
      swap: {
        total: swapTotal,
        free: swapFree,
        percent: percentOf(swapTotal - swapFree, swapTotal),
      },
      disks: disks.filter((d) => d !== null),
      network: this.network(parseNetDev(netDev), at.getTime()),
      route_metrics: parseRouteMetrics(routes),
    };
  }

  private cpu(): SystemStatus['cpu'] {
    const now = this.sources.cpus().map((c) => c.times);
    const before = this.lastCpus;
    this.lastCpus = now;
    const share = (t: CpuTimes, b: CpuTimes | undefined) => {
      const busy = busyOf(t) - (b ? busyOf(b) : 0);
      const all = busy + t.idle - (b ? b.idle : 0);
      return percentOf(busy, all);
    };
    const per = now.map((t, i) => share(t, before?.[i]));
    const sum = (ts: CpuTimes[]) =>
      ts.reduce(
        (a, t) => ({
          user: a.user + t.user,
          nice: a.nice + t.nice,
          sys: a.sys + t.sys,
          idle: a.idle + t.idle,
          irq: a.irq + t.irq,
        }),
        { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
      );
    return {
      count: now.length,
      percent: share(sum(now), before && before.length === now.length ? sum(before) : undefined),
      per_cpu: per,
      since: before ? 'previous call' : 'boot',
    };
  }

  private network(counters: NetDevCounters[], at: number): SystemStatus['network'] {
    const before = this.lastNet;
    this.lastNet = { at, byName: new Map(counters.map((c) => [c.name, c])) };
    const seconds = before ? (at - before.at) / 1000 : 0;
    return counters.map((c) => {
      const b = before?.byName.get(c.name);
      const rate = (now: number, then: number | undefined) =>
        then === undefined || seconds <= 0 || now < then
          ? null
          : Math.round(((now - then) / seconds) * 10) / 10;
      return {
        ...c,
        rx_rate: rate(c.rx_bytes, b?.rx_bytes),
        tx_rate: rate(c.tx_bytes, b?.tx_bytes),
      };
    });
  }
}
