// Interfaces made by the agent itself (`POST /v1/wg` → conf file + wg-quick up), used end to
// end by a real client, then removed.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  WG_PER_PACKET_OVERHEAD,
  createWgWrappers,
  ip,
  labSockets,
  settledCounter,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgWrappers,
} from '../lab/index.js';
import { apiPeer, expectError, modeOf, rxCeiling } from './agent-fixture.js';

describe('agent-made interfaces', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let wrappers: WgWrappers;
  let name = '';
  let publicKey = '';
  const PORT = 51821;

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    wrappers = await createWgWrappers(lab.dir);
    agent = await startNodeAgent(lab, lab.node(1), {
      wgBin: wrappers.wg,
      wgQuickBin: wrappers.wgQuick,
    });
    await lab.node(1).startEcho();
    name = lab.node(1).ifName('x');
  });
  afterAll(() => lab?.destroy());

  const confPath = () => `${lab.node(1).confDir}/${name}.conf`;
  const linkExists = (n: string) =>
    ip(lab.node(1).ns, ['link', 'show', n]).then(
      () => true,
      () => false,
    );

  it('creates an interface: 201, a 0600 conf file, the link up', async () => {
    const res = await agent.client.createInterface({
      name,
      address: '10.200.1.1/24',
      listen_port: PORT,
      mtu: 1380,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ name, listen_port: PORT, addresses: ['10.200.1.1/24'] });
    publicKey = res.body.public_key ?? '';
    expect(publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const conf = await lab.node(1).readConf(name);
    expect(conf).toMatch(/^\[Interface\]/m);
    expect(conf).toMatch(/^ListenPort = 51821$/m);
    expect(await modeOf(confPath())).toBe(0o600);
    const listed = (await agent.client.interfaces()).body.interfaces.find((i) => i.name === name);
    expect(listed).toMatchObject({ public_key: publicKey, listen_port: PORT, mtu: 1380, up: true });
    expect(res.text).not.toContain(/PrivateKey = (\S+)/.exec(conf ?? '')?.[1] ?? '(no key)');
  });

  it('refuses a second interface of the same name with 409', async () => {
    const res = await agent.client.createInterface({
      name,
      address: '10.9.9.1/24',
      listen_port: 1,
    });
    expectError(res, 409);
  });

  it('carries a real client end to end', async () => {
    const [node, client] = [lab.node(1), lab.client(1)];
    const peerKey = (await client.keys()).publicKey;
    const allowed = [client.addressIn(node.tunnelSubnet)];
    expect((await agent.client.putPeer(name, peerKey, { allowed_ips: allowed })).status).toBe(200);
    await client.connect(node.target(publicKey, PORT));
    expect(await client.probe(node.tunnelIp())).toBe(true);
    const before = (await apiPeer(agent.client, name, peerKey))!;
    expect(before.latest_handshake).not.toBeNull();
    const sent = await client.sendUdp(node.tunnelIp(), 9, 128_000, { datagramSize: 1200 });
    const rx = async () => (await apiPeer(agent.client, name, peerKey))!.transfer_rx;
    const delta = (await settledCounter(rx, before.transfer_rx + sent.bytes)) - before.transfer_rx;
    expect(delta).toBeGreaterThanOrEqual(sent.bytes);
    expect(delta).toBeLessThanOrEqual(rxCeiling(sent, WG_PER_PACKET_OVERHEAD));
    const conf = (await node.readConf(name)) ?? '';
    expect(conf).toContain(`PublicKey = ${peerKey}`);
    expect(conf).toMatch(/^MTU = 1380$/m); // [Interface] kept as written at creation
  });

  it('answers 502 when wg-quick fails, and leaves nothing half-made', async () => {
    const other = lab.node(1).ifName('y');
    await wrappers.failWith('wg-quick', `RTNETLINK answers: File exists`);
    try {
      const res = await agent.client.createInterface({
        name: other,
        address: '10.201.1.1/24',
        listen_port: 51823,
      });
      expectError(res, 502);
    } finally {
      await wrappers.failWith('wg-quick', null);
    }
    expect(await lab.node(1).readConf(other)).toBeNull();
    expect(await linkExists(other)).toBe(false);
    expect(await wrappers.calls()).toContain(`wg-quick up ${lab.node(1).confDir}/${other}.conf`);
  });

  it('refuses hooks unless the agent allows them', async () => {
    const res = await agent.client.createInterface({
      name: lab.node(1).ifName('z'),
      address: '10.202.1.1/24',
      listen_port: 51899,
      post_up: 'true',
    });
    expectError(res, 403, 'post_up');
  });

  it('deletes the interface: link, conf file and traffic gone', async () => {
    const res = await agent.client.deleteInterface(name);
    expect(res.status, res.text).toBe(200);
    expect(existsSync(confPath())).toBe(false);
    expect(await linkExists(name)).toBe(false);
    expectError(await agent.client.dump(name), 404);
    expectError(await agent.client.up(name), 404);
    expect(await lab.client(1).probe(lab.node(1).tunnelIp(), { timeoutMs: 1500 })).toBe(false);
    await waitFor('socket gone', async () => !(await labSockets(name)).includes(name) || undefined);
  });
});
