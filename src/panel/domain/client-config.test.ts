import { describe, expect, it } from 'vitest';
import { clientConfigFileName, renderClientConfig } from './client-config.js';

describe('client config', () => {
  it('renders a wg-quick file with the node as endpoint', () => {
    const text = renderClientConfig({
      privateKey: 'PRIV',
      address: '10.8.0.2/32',
      dns: '1.1.1.1',
      mtu: 1420,
      serverPublicKey: 'SERVERPUB',
      presharedKey: 'PSK',
      allowedIps: '0.0.0.0/0, ::/0',
      endpointHost: 'fd00::1',
      endpointPort: 51820,
      keepalive: 25,
    });
    expect(text).toBe(
      '[Interface]\nPrivateKey = PRIV\nAddress = 10.8.0.2/32\nDNS = 1.1.1.1\nMTU = 1420\n\n' +
        '[Peer]\nPublicKey = SERVERPUB\nPresharedKey = PSK\nAllowedIPs = 0.0.0.0/0, ::/0\n' +
        'Endpoint = [fd00::1]:51820\nPersistentKeepalive = 25\n',
    );
  });

  it('names the file after the peer, safely', () => {
    expect(clientConfigFileName("John's Phone", 'abc')).toBe('JohnsPhone.conf');
    expect(clientConfigFileName('', 'ab+c/d=')).toBe('abcd.conf');
  });
});
