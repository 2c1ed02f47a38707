import { describe, expect, it } from 'vitest';
import { parseIpAddrJson } from './link-info.js';

describe('parseIpAddrJson', () => {
  it('reads addresses, MTU and the UP flag', () => {
    const text = JSON.stringify([
      {
        ifindex: 1,
        ifname: 'lo',
        flags: ['LOOPBACK', 'UP'],
        mtu: 65536,
        addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }],
      },
      {
        ifindex: 5,
        ifname: 'wg0',
        flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'],
        mtu: 1420,
        addr_info: [
          { family: 'inet', local: '10.0.0.1', prefixlen: 24 },
          { family: 'inet6', local: 'fd00::1', prefixlen: 64, scope: 'global' },
          { family: 'inet6', local: 'fe80::1234', prefixlen: 64, scope: 'link' },
        ],
      },
      { ifindex: 6, ifname: 'wg1', flags: ['POINTOPOINT', 'NOARP'], mtu: 1420, addr_info: [] },
    ]);
    const links = parseIpAddrJson(text);
    expect(links.get('wg0')).toEqual({
      addresses: ['10.0.0.1/24', 'fd00::1/64'],
      mtu: 1420,
      up: true,
    });
    expect(links.get('wg1')).toEqual({ addresses: [], mtu: 1420, up: false });
  });
});
