// The agent's peer API on real WireGuard: two nodes with lab-made interfaces (the agent adopts
// them), two clients that really handshake and send traffic through the tunnels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  WG_PER_PACKET_OVERHEAD,
  generatePresharedKey,
  keyBase64Url,
  settledCounter,
  startNodeAgent,
  wgDump,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { apiPeer, modeOf, rxCeiling } from './agent-fixture.js';

describe('agent peers on real WireGuard', () => {
  let lab: Lab;
  let agents: NodeAgent[];
  let ifs: WgInterface[];
  let head1 = '';
  const headOf = (conf: string | null) => (conf ?? '').split(/^\[Peer\]/m)[0]?.trimEnd();

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 2, clients: 2 });
    ifs = await Promise.all(lab.nodes.map((n) => n.createWgInterface()));
    agents = await Promise.all(lab.nodes.map((n) => startNodeAgent(lab, n)));
    await Promise.all(lab.nodes.map((n) => n.startEcho()));
  });
  afterAll(() => lab?.destroy());

  const peerBody = (j: number) => ({
    allowed_ips: [lab.client(j).addressIn(lab.node(j).tunnelSubnet)],
  });

  it('answers health without a token', async () => {
    const res = await agents[0]!.client.withToken(null).health();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it("lists only its own namespace's interfaces", async () => {
    for (const [i, agent] of agents.entries()) {
      const res = await agent.client.interfaces();
      expect(res.status, res.text).toBe(200);
      expect(res.body.interfaces).toEqual([
        {
          name: ifs[i]!.name,
          public_key: ifs[i]!.publicKey,
          listen_port: 51820,
          addresses: expect.arrayContaining([`${lab.node(i + 1).tunnelIp(1)}/24`]),
          mtu: expect.any(Number),
          peer_count: 0,
          up: true,
        },
      ]);
    }
  });

  it("reports the interface's own addresses, not the kernel's fe80:: link-local", async () => {
    // wireguard-go's tun device gets an IPv6 link-local address from the kernel on link up;
    // it is not configuration: it belongs neither in the listing nor in an adopted conf file.
    const res = await agents[0]!.client.interfaces();
    expect(res.body.interfaces[0]?.addresses).toEqual([`${lab.node(1).tunnelIp(1)}/24`]);
  });

  it('adds a peer that handshakes with a real client', async () => {
    const [node, client] = [lab.node(1), lab.client(1)];
    const { publicKey } = await client.keys();
    const put = await agents[0]!.client.putPeer(ifs[0]!.name, publicKey, peerBody(1));
    expect(put.status, put.text).toBe(200);
    await client.connect(node.targetOf(ifs[0]!));
    expect(await client.probe(node.tunnelIp())).toBe(true);
    const peer = await apiPeer(agents[0]!.client, ifs[0]!.name, publicKey);
    expect(peer).toMatchObject({ ...peerBody(1), endpoint: client.endpoint });
    expect(peer?.persistent_keepalive).toBeNull();
    expect(peer?.latest_handshake).toBeGreaterThan(Date.now() / 1000 - 60);
    head1 = headOf(await node.readConf(ifs[0]!.name)) ?? '';
  });

  it('treats PUT as idempotent, with the key in base64url too', async () => {
    const { publicKey } = await lab.client(1).keys();
    const agent = agents[0]!.client;
    expect((await agent.putPeer(ifs[0]!.name, publicKey, peerBody(1))).status).toBe(200);
    const url = `/v1/wg/${ifs[0]!.name}/peers/${keyBase64Url(publicKey)}`;
    expect((await agent.request('PUT', url, { body: peerBody(1) })).status).toBe(200);
    const res = await agent.dump(ifs[0]!.name);
    expect(res.body.peers.map((p) => p.public_key)).toEqual([publicKey]);
    expect(await lab.client(1).probe(lab.node(1).tunnelIp())).toBe(true);
  });

  it('counts the bytes a client sends in transfer_rx', async () => {
    const { publicKey } = await lab.client(1).keys();
    const rx = async () => (await apiPeer(agents[0]!.client, ifs[0]!.name, publicKey))!.transfer_rx;
    const before = await rx();
    const sent = await lab.client(1).sendUdp(lab.node(1).tunnelIp(), 9, 256_000);
    const delta = (await settledCounter(rx, before + sent.bytes)) - before;
    expect(delta).toBeGreaterThanOrEqual(sent.bytes);
    expect(delta).toBeLessThanOrEqual(rxCeiling(sent, WG_PER_PACKET_OVERHEAD));
  });

  it('sets preshared key and keepalive, and never shows the secrets', async () => {
    const [node, client, agent] = [lab.node(2), lab.client(2), agents[1]!.client];
    const psk = await generatePresharedKey();
    const { publicKey } = await client.keys();
    const body = { ...peerBody(2), preshared_key: psk, persistent_keepalive: 25 };
    const put = await agent.putPeer(ifs[1]!.name, publicKey, body);
    expect(put.status, put.text).toBe(200);
    await client.connect(node.targetOf(ifs[1]!), { presharedKey: psk });
    expect(await client.probe(node.tunnelIp())).toBe(true); // a wrong psk would not handshake
    const dump = await agent.dump(ifs[1]!.name);
    expect(dump.body.peers[0]?.persistent_keepalive).toBe(25);
    const texts = [dump, await agent.interfaces(), await agent.metrics()].map((r) => r.text);
    for (const secret of [psk, ifs[1]!.keys.privateKey])
      for (const text of texts) expect(text).not.toContain(secret);
    expect(await node.readConf(ifs[1]!.name)).toContain(psk); // the 0600 conf keeps it
    expect(await modeOf(`${node.confDir}/${ifs[1]!.name}.conf`)).toBe(0o600);
    // Full replacement: without preshared_key and keepalive, both go.
    expect((await agent.putPeer(ifs[1]!.name, publicKey, peerBody(2))).status).toBe(200);
    const raw = (await wgDump(node.ns, ifs[1]!.name)).peers[0];
    expect(raw).toMatchObject({ preshared_key: null, persistent_keepalive: null });
    expect(await node.readConf(ifs[1]!.name)).not.toContain(psk);
  });

  it('cuts a client off with DELETE (idempotent) and lets it back with PUT', async () => {
    const [node, client, agent] = [lab.node(1), lab.client(1), agents[0]!.client];
    const { publicKey } = await client.keys();
    expect((await agent.deletePeer(ifs[0]!.name, publicKey)).status).toBe(200);
    expect((await agent.dump(ifs[0]!.name)).body.peers).toEqual([]);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 1500 })).toBe(false);
    expect((await agent.deletePeer(ifs[0]!.name, publicKey)).status).toBe(200);
    expect(await node.readConf(ifs[0]!.name)).not.toContain(publicKey);
    expect((await agent.putPeer(ifs[0]!.name, publicKey, peerBody(1))).status).toBe(200);
    await client.reconnect(); // its old session died with the peer: handshake now, not in 15 s
    expect(await client.probe(node.tunnelIp())).toBe(true);
  });

  it('keeps the peers in the conf file, [Interface] as it was', async () => {
    const node = lab.node(1);
    const conf = (await node.readConf(ifs[0]!.name)) ?? '';
    expect(head1).toContain(`PrivateKey = ${ifs[0]!.keys.privateKey}`);
    expect(head1).toMatch(/ListenPort = 51820/);
    expect(headOf(conf)).toBe(head1);
    expect(conf).toContain(`PublicKey = ${(await lab.client(1).keys()).publicKey}`);
    expect(conf).toContain(`AllowedIPs = ${peerBody(1).allowed_ips[0]}`);
    expect(await modeOf(`${node.confDir}/${ifs[0]!.name}.conf`)).toBe(0o600);
    // Adopted from the live link: its own address only, not the kernel's fe80:: link-local.
    expect(head1).toMatch(/^Address = 10\.200\.1\.1\/24$/m);
  });

  it('restores the peers from the conf file on down then up', async () => {
    const [node, client, agent] = [lab.node(1), lab.client(1), agents[0]!.client];
    const name = ifs[0]!.name;
    const before = (await agent.dump(name)).body.interface.instance;
    expect(before).toMatch(/^\d+$/);
    const down = await agent.down(name);
    expect(down.status, down.text).toBe(200);
    const listed = (await agent.interfaces()).body.interfaces.find((i) => i.name === name);
    expect(listed).toMatchObject({ up: false, peer_count: 1 });
    const up = await agent.up(name);
    expect(up.status, up.text).toBe(200);
    // Re-created: a new incarnation, so the panel knows every counter restarted from zero.
    const after = (await agent.dump(name)).body.interface.instance;
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
    const peer = await apiPeer(agent, name, (await client.keys()).publicKey);
    expect(peer?.allowed_ips).toEqual(peerBody(1).allowed_ips);
    await client.reconnect(); // the interface restarted: new sessions
    expect(await client.probe(node.tunnelIp())).toBe(true);
    expect(headOf(await node.readConf(name))).toBe(head1);
  });

  it('serves Prometheus metrics and its OpenAPI document', async () => {
    const metrics = await agents[0]!.client.metrics();
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain(ifs[0]!.name);
    const doc = await agents[0]!.client.openapi();
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths ?? {})).toEqual(
      expect.arrayContaining(['/v1/wg/{interface}/dump', '/v1/wg/{interface}/peers/{public_key}']),
    );
  });
});
