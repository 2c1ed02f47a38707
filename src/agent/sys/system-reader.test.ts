import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { SystemStatus } from '../../shared/wire/agent-system.js';
import {
  diskMounts,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseRouteMetrics,
} from './proc-parsers.js';
import { hostSources, SystemReader, type SystemSources } from './system-reader.js';

const MEMINFO = `MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    6000000 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
HugePages_Total:       0
`;
const NET_DEV = (
  rx: number,
  tx: number,
) => `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs colls carrier compressed
    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
  eth0: ${rx}   10    1    2    0     0          0         0  ${tx}    20    3    4    0     0       0          0
`;
const MOUNTS = `overlay / overlay rw 0 0
proc /proc proc rw 0 0
/dev/sda1 /data ext4 rw 0 0
/dev/sda1 /data ext4 rw 0 0
/dev/loop0 /snap/x squashfs ro 0 0
/dev/sdb1 /mnt/my\\040disk vfat rw 0 0
`;
const ROUTES = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t0002A8C0\t00000000\t0001\t0\t0\t50\t00FFFFFF\t0\t0\t0
wg0\t0000080A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

describe('/proc parsers', () => {
  it('reads meminfo in bytes, net/dev counters, mounts, route metrics', () => {
    const mem = parseMeminfo(MEMINFO);
    expect(mem.get('MemAvailable')).toBe(6000000 * 1024);
    expect(mem.get('HugePages_Total')).toBe(0);
    expect(parseNetDev(NET_DEV(5000, 7000))[1]).toEqual({
      name: 'eth0',
      rx_bytes: 5000,
      rx_packets: 10,
      rx_errors: 1,
      rx_dropped: 2,
      tx_bytes: 7000,
      tx_packets: 20,
      tx_errors: 3,
      tx_dropped: 4,
    });
    expect(diskMounts(parseMounts(MOUNTS)).map((m) => m.mount)).toEqual([
      '/',
      '/data',
      '/mnt/my disk',
    ]);
    expect(parseRouteMetrics(ROUTES)).toEqual({ eth0: 50 });
  });
});

describe('SystemReader', () => {
  it('computes shares and rates over the time since the previous read', async () => {
    let t = Date.parse('2026-12-01T00:00:00Z');
    let cpu = { user: 100, nice: 0, sys: 100, idle: 800, irq: 0 };
    let net = NET_DEV(1000, 2000);
    const sources: SystemSources = {
      readText: async (path) =>
        ({
          '/proc/meminfo': MEMINFO,
          '/proc/net/dev': net,
          '/proc/mounts': MOUNTS,
          '/proc/net/route': ROUTES,
        })[path] ?? '',
      statfs: async () => ({ blocks: 1000, bfree: 400, bavail: 300, bsize: 4096 }),
      cpus: () => [{ times: cpu }],
      loadavg: () => [0.5, 0.25, 0.125],
      uptime: () => 3600,
      hostname: () => 'node-a',
      now: () => new Date(t),
    };
    const reader = new SystemReader(sources);
    const first = await reader.read();
    expect(Value.Check(SystemStatus, first)).toBe(true);
    expect(first.cpu).toEqual({ count: 1, percent: 20, per_cpu: [20], since: 'boot' });
    expect(first.memory).toEqual({ total: 8192000000, available: 6144000000, percent: 25 });
    expect(first.swap.percent).toBe(25);
    // used 600 of 900 blocks a user can fill
    expect(first.disks[0]).toMatchObject({
      mount: '/',
      used: 600 * 4096,
      free: 300 * 4096,
      percent: 66.7,
    });
    expect(first.network[1]).toMatchObject({ rx_rate: null, tx_rate: null });
    expect(first.load).toEqual([0.5, 0.25, 0.13]);

    t += 2000;
    cpu = { user: 150, nice: 0, sys: 150, idle: 900, irq: 0 }; // 100 busy of 200
    net = NET_DEV(3000, 2500);
    const second = await reader.read();
    expect(second.cpu).toMatchObject({ percent: 50, since: 'previous call' });
    expect(second.network[1]).toMatchObject({ rx_rate: 1000, tx_rate: 250 });
  });

  it('reads this host', async () => {
    const status = await new SystemReader(hostSources).read();
    expect(Value.Check(SystemStatus, status)).toBe(true);
    expect(status.memory.total).toBeGreaterThan(0);
    expect(status.disks.some((d) => d.mount === '/')).toBe(true);
    expect(status.network.some((n) => n.name === 'lo')).toBe(true);
  });
});
