import { describe, expect, it } from 'vitest';
import { formatIp, parseIp, parseNetwork, type Network } from '../../shared/ip.js';
import { freeAddresses, nextFreeAddress } from './address-pool.js';

const net = (cidr: string) => parseNetwork(cidr) as Network;
const ips = (...a: string[]) => a.map((x) => parseIp(x)!.value);

describe('address pool', () => {
  it('hands out the lowest free host, skipping the network, own and broadcast addresses', () => {
    const n = net('10.0.0.1/24');
    expect(nextFreeAddress(n, [])).toBe('10.0.0.2/32');
    expect(freeAddresses(n, ips('10.0.0.2', '10.0.0.3', '10.0.0.5'), 3)).toEqual([
      '10.0.0.4',
      '10.0.0.6',
      '10.0.0.7',
    ]);
    expect(freeAddresses(n, [], 1000)).toHaveLength(253);
    expect(freeAddresses(n, [], 1000).at(-1)).toBe('10.0.0.254');
    expect(freeAddresses(net('10.0.0.1/30'), ips('10.0.0.2'), 10)).toEqual([]);
    expect(nextFreeAddress(net('10.0.0.1/30'), ips('10.0.0.2'))).toBeNull();
    expect(freeAddresses(n, ips('192.168.0.2'), 1)).toEqual(['10.0.0.2']); // foreign addresses ignored
  });

  it('works on a /16 with thousands of addresses taken without walking the network', () => {
    const n = net('10.8.0.1/16');
    const used = Array.from({ length: 20_000 }, (_, i) => n.first + 2n + BigInt(i));
    expect(nextFreeAddress(n, used)).toBe('10.8.78.34/32');
  });

  it('works on IPv6 /64 networks', () => {
    const n = net('fd00:1::1/64');
    expect(nextFreeAddress(n, [])).toBe('fd00:1::2/128');
    expect(freeAddresses(n, ips('fd00:1::2', 'fd00:1::3'), 2)).toEqual(['fd00:1::4', 'fd00:1::5']);
  });

  it('formats and parses addresses', () => {
    for (const a of [
      '0.0.0.0',
      '10.1.2.3',
      '255.255.255.255',
      '::',
      '::1',
      'fd00::1:0:0:5',
      '2001:db8::',
      '1:2:3:4:5:6:7:8',
    ])
      expect(formatIp(parseIp(a)!)).toBe(a);
    expect(formatIp(parseIp('FD00:0:0:0:0:0:0:1')!)).toBe('fd00::1');
    expect(parseNetwork('10.0.0.77/24')?.cidr).toBe('10.0.0.0/24');
  });
});
