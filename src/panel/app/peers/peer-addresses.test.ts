import { describe, expect, it } from 'vitest';
import { PanelError } from '../errors.js';
import {
  allocateAddresses,
  checkGivenAddresses,
  interfaceNetworks,
  TakenAddresses,
} from './peer-addresses.js';

const nets = interfaceNetworks('10.8.0.1/24, fd00:8::1/64');
const taken = (...ips: string[]) =>
  new TakenAddresses(ips.map((allowedIp, i) => ({ id: i + 1, allowedIp })));
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof PanelError ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('peer addresses', () => {
  it('allocates one address per interface network, skipping taken ones and the interface', () => {
    const t = taken('10.8.0.2/32, fd00:8::2/128', '10.8.0.4/32');
    expect(allocateAddresses(nets, t, 2)).toEqual([
      '10.8.0.3/32, fd00:8::3/128',
      '10.8.0.5/32, fd00:8::4/128',
    ]);
  });

  it('treats a taken range as taken in full', () => {
    const t = taken('10.8.0.0/29');
    expect(allocateAddresses(interfaceNetworks('10.8.0.1/24'), t, 1)).toEqual(['10.8.0.8/32']);
  });

  it('says how many fit when fewer are free', () => {
    const small = interfaceNetworks('10.8.0.1/30'); // one host besides the interface
    expect(codeOf(() => allocateAddresses(small, taken(), 2))).toBe(
      'conflict: The maximum number of peers can add is 1',
    );
    expect(codeOf(() => allocateAddresses(small, taken('10.8.0.2/32'), 1))).toBe(
      'conflict: No more available IP can assign',
    );
    expect(codeOf(() => allocateAddresses([], taken(), 1))).toMatch(/^conflict: /);
  });

  it('checks given addresses: syntax, subnet, own address, overlap with other peers', () => {
    const t = taken('10.8.0.2/32', '10.8.0.16/28');
    const check = (entries: string[], inSubnet = true, exceptPeerId?: number) =>
      codeOf(() =>
        checkGivenAddresses('allowed_ips', entries, nets, t, {
          inSubnet,
          ...(exceptPeerId === undefined ? {} : { exceptPeerId }),
        }),
      );
    expect(
      checkGivenAddresses('allowed_ips', ['10.8.0.3', 'fd00:8::0:5/128'], nets, t, {
        inSubnet: true,
      }),
    ).toEqual(['10.8.0.3/32', 'fd00:8::5/128']);
    expect(check(['x'])).toBe('invalid_input: allowed_ips: "x" is not an IP address or CIDR');
    expect(check([])).toBe('invalid_input: allowed_ips: give at least one address');
    expect(check(['10.9.0.3/32'])).toMatch(
      /^invalid_input: allowed_ips: 10\.9\.0\.3\/32 is outside/,
    );
    expect(check(['192.168.1.0/24'], false)).toBe('no error');
    expect(check(['10.8.0.1/32'])).toMatch(/interface's own address/);
    expect(check(['10.8.0.2/32'])).toBe(
      'conflict: allowed_ips: 10.8.0.2/32 is already taken by another peer',
    );
    expect(check(['10.8.0.20/32'])).toMatch(/already taken/);
    expect(check(['10.8.0.2/32'], true, 1)).toBe('no error'); // the peer's own address
  });
});
