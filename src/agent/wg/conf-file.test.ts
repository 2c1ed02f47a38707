import { describe, expect, it } from 'vitest';
import { confFromShowConf, parseConf, removePeer, serializeConf, upsertPeer } from './conf-file.js';

const P1 = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const P2 = 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=';
const PSK = 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=';
const HEAD = `# managed by hand
[Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
Address = 10.0.0.1/24
ListenPort = 51820
PostUp = iptables -A FORWARD -i %i -j ACCEPT`;

describe('wg-quick conf files', () => {
  it('keeps the [Interface] part byte for byte while editing peers', () => {
    const text = `${HEAD}\n\n[Peer]\n# John's phone\nPublicKey = ${P1}\nAllowedIPs = 10.0.0.2/32\n`;
    let conf = parseConf(text);
    expect(conf.head).toBe(HEAD);
    conf = upsertPeer(conf, {
      publicKey: P2,
      presharedKey: PSK,
      allowedIps: ['10.0.0.3/32', 'fd00::3/128'],
      endpoint: null,
      persistentKeepalive: 25,
    });
    conf = upsertPeer(conf, {
      publicKey: P1,
      presharedKey: null,
      allowedIps: ['10.0.0.9/32'],
      endpoint: '192.0.2.1:51820',
      persistentKeepalive: null,
    });
    const out = serializeConf(conf);
    expect(out.startsWith(HEAD + "\n\n[Peer]\n# John's phone\n")).toBe(true);
    const again = parseConf(out);
    expect(again.peers.map((p) => p.publicKey)).toEqual([P1, P2]);
    expect(again.peers[0]).toMatchObject({
      allowedIps: ['10.0.0.9/32'],
      endpoint: '192.0.2.1:51820',
    });
    expect(again.peers[1]).toMatchObject({ presharedKey: PSK, persistentKeepalive: 25 });
    expect(serializeConf(removePeer(again, P1))).not.toContain(P1);
    expect(removePeer(again, 'absent')).toBe(again);
  });

  it('reads a file without peers and one with several AllowedIPs lines', () => {
    expect(parseConf(HEAD + '\n').peers).toEqual([]);
    const conf = parseConf(
      `${HEAD}\n[peer]\npublickey=${P1}\nAllowedIPs = 10.0.0.2/32\nAllowedIPs = 10.1.0.0/16, fd00::/64\n`,
    );
    expect(conf.peers[0]?.allowedIps).toEqual(['10.0.0.2/32', '10.1.0.0/16', 'fd00::/64']);
  });

  it('builds a file from wg showconf for an interface that had none', () => {
    const showconf = `[Interface]\nListenPort = 51820\nFwMark = 0x0\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n[Peer]\nPublicKey = ${P1}\nAllowedIPs = 10.0.0.2/32\nEndpoint = 192.0.2.7:4000\n`;
    const conf = confFromShowConf(showconf, ['10.0.0.1/24'], 1420);
    expect(conf.head).toContain('Address = 10.0.0.1/24');
    expect(conf.head).toContain('ListenPort = 51820');
    expect(conf.head).not.toContain('MTU');
    expect(conf.peers).toHaveLength(1);
  });
});
