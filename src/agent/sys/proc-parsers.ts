/**
 * Pure parsers of the /proc files the system status reads (Linux). Each takes the file's text;
 * a line it cannot read is skipped.
 */

/** `/proc/meminfo` → values in bytes, by key (`MemTotal`, `MemAvailable`, `SwapFree`, …). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1));
  }
  return out;
}

export interface NetDevCounters {
  readonly name: string;
  readonly rx_bytes: number;
  readonly rx_packets: number;
  readonly rx_errors: number;
  readonly rx_dropped: number;
  readonly tx_bytes: number;
  readonly tx_packets: number;
  readonly tx_errors: number;
  readonly tx_dropped: number;
}

/** `/proc/net/dev`: per-interface counters (receive fields first, then transmit). */
export function parseNetDev(text: string): NetDevCounters[] {
  const out: NetDevCounters[] = [];
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    out.push({
      name: m[1]!,
      rx_bytes: f[0]!,
      rx_packets: f[1]!,
      rx_errors: f[2]!,
      rx_dropped: f[3]!,
      tx_bytes: f[8]!,
      tx_packets: f[9]!,
      tx_errors: f[10]!,
      tx_dropped: f[11]!,
    });
  }
  return out;
}

export interface Mount {
  readonly device: string;
  readonly mount: string;
  readonly fsType: string;
}

/** `/proc/mounts` (octal escapes such as `\040` decoded). */
export function parseMounts(text: string): Mount[] {
  const unescape = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length >= 3)
    .map(([device, mount, fsType]) => ({
      device: unescape(device!),
      mount: unescape(mount!),
      fsType: fsType!,
    }));
}

/** The mounts psutil's disk_partitions() would list: block devices (each mount point once), and /. */
export function diskMounts(mounts: readonly Mount[]): Mount[] {
  const seen = new Set<string>();
  return mounts.filter((m) => {
    const wanted =
      (m.device.startsWith('/dev/') && !m.device.startsWith('/dev/loop')) || m.mount === '/';
    if (!wanted || seen.has(m.mount)) return false;
    seen.add(m.mount);
    return true;
  });
}

/** `/proc/net/route`: the lowest metric per interface among routes that set one (`ip route`'s `metric N`). */
export function parseRouteMetrics(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const dev = f[0]!;
    const metric = Number(f[6]);
    if (!Number.isInteger(metric) || metric <= 0) continue;
    if (out[dev] === undefined || metric < out[dev]) out[dev] = metric;
  }
  return out;
}

/** A share as a percentage with one decimal, 0 when the whole is 0. */
export function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.round((part / whole) * 1000) / 10;
}
