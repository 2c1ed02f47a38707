import { describe, expect, it } from 'vitest';
import type { Dump, InterfaceSummary } from '../../../shared/wire/agent-api.js';
import { adoptInterface, configurationNameFor } from './adopt-interfaces.js';

const K = (c: string) => `${c.repeat(42)}A=`;
const summary = (over: Partial<InterfaceSummary> = {}): InterfaceSummary => ({
  name: 'wg0',
  public_key: K('s'),
  listen_port: 51820,
  addresses: ['10.0.0.1/24', 'fd00::1/64'],
  mtu: 1420,
  peer_count: 3,
  up: true,
  ...over,
});
const peer = (key: string, allowed: string[]) => ({
  public_key: key,
  endpoint: null,
  allowed_ips: allowed,
  latest_handshake: null,
  transfer_rx: 100,
  transfer_tx: 200,
  persistent_keepalive: null,
});
const dump: Dump = {
  interface: { name: 'wg0', public_key: K('s'), listen_port: 51820, fwmark: null },
  peers: [
    peer(K('a'), ['10.0.0.2/32', 'fd00::2/128']),
    peer(K('b'), []),
    peer(K('c'), ['10.0.0.2/32', 'fd00::2/128']),
  ],
};

describe('adoptInterface', () => {
  it('keeps the interface and its peers (keys and addresses only)', () => {
    expect(adoptInterface(summary(), dump)).toEqual({
      adopted: {
        interfaceName: 'wg0',
        address: '10.0.0.1/24, fd00::1/64',
        listenPort: 51820,
        publicKey: K('s'),
        mtu: 1420,
        enabled: true,
        peers: [{ publicKey: K('a'), allowedIp: '10.0.0.2/32, fd00::2/128' }],
      },
      skippedPeers: 2,
    });
  });
  it('adopts a down interface as turned off, without peers', () => {
    const a = adoptInterface(summary({ up: false }), null);
    expect(a).toMatchObject({ adopted: { enabled: false, peers: [] }, skippedPeers: 0 });
  });
  it('skips an interface without a listen port or key', () => {
    expect(adoptInterface(summary({ listen_port: null }), null)).toMatchObject({ skipped: 'wg0' });
    expect(adoptInterface(summary({ public_key: null }), null)).toMatchObject({ skipped: 'wg0' });
  });
});

describe('configurationNameFor', () => {
  it('uses the interface name, then <node>-<interface>, then a counter', () => {
    const taken = new Set<string>();
    expect(configurationNameFor('wg0', 'a', taken)).toBe('wg0');
    expect(configurationNameFor('wg0', 'b', taken)).toBe('b-wg0');
    taken.add('c-wg0');
    expect(configurationNameFor('wg0', 'c', taken)).toBe('c-wg0-2');
    expect(taken.has('c-wg0-2')).toBe(true);
  });
});
