import { describe, expect, it } from 'vitest';
import { freeAddresses } from './address-pool.js';
import { countFreeAddresses } from './address-count.js';
import { parseNetwork, parseIp } from '../../shared/ip.js';

const net = (cidr: string) => parseNetwork(cidr)!;
const ip = (s: string) => parseIp(s)!.value;

describe('countFreeAddresses', () => {
  it('counts what freeAddresses would hand out', () => {
    const n = net('10.8.0.1/24');
    const used = [ip('10.8.0.2'), ip('10.8.0.9'), ip('10.9.0.1')];
    expect(countFreeAddresses(n, used)).toBe(BigInt(freeAddresses(n, used, 1000).length));
    expect(countFreeAddresses(n, used)).toBe(251n); // 254 hosts − own − 2 peers
  });
  it('point-to-point and single hosts', () => {
    expect(countFreeAddresses(net('10.0.0.0/31'), [])).toBe(1n); // own .0 taken, .1 free
    expect(countFreeAddresses(net('10.0.0.5/32'), [])).toBe(0n);
  });
  it('an IPv6 /64 without enumerating it', () => {
    expect(countFreeAddresses(net('fd00::1/64'), [ip('fd00::2')])).toBe(2n ** 64n - 3n);
  });
});
