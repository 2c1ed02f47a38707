import { describe, expect, it } from 'vitest';
import { DumpFormatError, parseDump } from './dump-parser.js';

const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PUB = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
const PSK = 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=';
const P1 = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const P2 = 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=';

describe('parseDump', () => {
  it('reads an interface without peers', () => {
    const dump = parseDump('wg0', `${PRIV}\t${PUB}\t51820\toff\n`);
    expect(dump).toEqual({
      interface: { name: 'wg0', public_key: PUB, listen_port: 51820, fwmark: null, instance: null },
      peers: [],
    });
  });

  it('reads a peer that never handshook: (none) endpoint, off keepalive', () => {
    const text = `${PRIV}\t${PUB}\t51820\t0x1234\n${P1}\t(none)\t(none)\t10.0.0.2/32\t0\t0\t0\toff\n`;
    const dump = parseDump('wg0', text);
    expect(dump.interface.fwmark).toBe(0x1234);
    expect(dump.peers).toEqual([
      {
        public_key: P1,
        endpoint: null,
        allowed_ips: ['10.0.0.2/32'],
        latest_handshake: null,
        transfer_rx: 0,
        transfer_tx: 0,
        persistent_keepalive: null,
      },
    ]);
  });

  it('reads several peers, IPv6 and multiple allowed IPs, keepalive and counters', () => {
    const text = [
      `${PRIV}\t${PUB}\t51820\toff`,
      `${P1}\t${PSK}\t192.0.2.7:40000\t10.0.0.2/32,fd00::2/128\t1700000000\t12345\t67890\t25`,
      `${P2}\t(none)\t[2001:db8::1]:51820\t(none)\t0\t0\t0\toff`,
    ].join('\n');
    const dump = parseDump('wg0', text);
    expect(dump.peers[0]).toEqual({
      public_key: P1,
      endpoint: '192.0.2.7:40000',
      allowed_ips: ['10.0.0.2/32', 'fd00::2/128'],
      latest_handshake: 1700000000,
      transfer_rx: 12345,
      transfer_tx: 67890,
      persistent_keepalive: 25,
    });
    expect(dump.peers[1]?.endpoint).toBe('[2001:db8::1]:51820');
    expect(dump.peers[1]?.allowed_ips).toEqual([]);
  });

  it('never carries the private key or a preshared key', () => {
    const text = `${PRIV}\t${PUB}\t51820\toff\n${P1}\t${PSK}\t(none)\t10.0.0.2/32\t0\t1\t2\toff\n`;
    const json = JSON.stringify(parseDump('wg0', text));
    expect(json).not.toContain(PRIV);
    expect(json).not.toContain(PSK);
  });

  it('reads an interface without a private key', () => {
    const dump = parseDump('wg0', '(none)\t(none)\t0\toff\n');
    expect(dump.interface).toEqual({
      name: 'wg0',
      public_key: null,
      listen_port: null,
      fwmark: null,
      instance: null,
    });
    expect(parseDump('wg0', '(none)\t(none)\t0\toff\n', '7').interface.instance).toBe('7');
  });

  it('rejects malformed output with the line number', () => {
    expect(() => parseDump('wg0', '')).toThrow(DumpFormatError);
    const bad = `${PRIV}\t${PUB}\t51820\toff\n${P1}\t(none)\t(none)\t10.0.0.2/32\t0\tx\t0\toff\n`;
    expect(() => parseDump('wg0', bad)).toThrow(/line 2/);
  });
});
