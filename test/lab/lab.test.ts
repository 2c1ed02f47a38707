// Self-test of the lab harness, without the agent: real wireguard-go in namespaces, peers set
// with `wg set`, traffic from a client namespace, and a teardown that leaves nothing behind.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ip } from './exec.js';
import { Lab } from './lab.js';
import { listNamespaces } from './netns.js';
import { isAlive } from './resources.js';
import { labSockets } from './sweep.js';
import { WG_PER_PACKET_OVERHEAD, probeFromHost, settledCounter } from './traffic.js';
import type { WgInterface } from './wg-interface.js';

describe('lab harness', () => {
  let lab: Lab;
  let nodeIf: WgInterface;

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
  });
  afterAll(() => lab?.destroy());

  it('reaches a node from the root namespace over the underlay', async () => {
    await lab.node(1).startEcho();
    expect(await probeFromHost(lab.node(1).underlayIp)).toBe(true);
  });

  it('carries a probe through a wireguard-go tunnel set up with wg set', async () => {
    const node = lab.node(1);
    const client = lab.client(1);
    nodeIf = await node.createWgInterface();
    const { publicKey } = await client.keys();
    await nodeIf.setPeer({ publicKey, allowedIps: [client.addressIn(node.tunnelSubnet)] });
    await client.connect(node.targetOf(nodeIf));
    expect(await client.probe(node.tunnelIp())).toBe(true);
    const [peer] = (await client.dump()).peers;
    expect(peer?.public_key).toBe(nodeIf.publicKey);
    expect(peer?.latest_handshake).toBeGreaterThan(0);
  });

  it('counts the bytes a client sends in the node rx counter', async () => {
    const client = lab.client(1);
    const rx = async () => (await nodeIf.dump()).peers[0]?.transfer_rx ?? -1;
    const before = await rx();
    const sent = await client.sendUdp(lab.node(1).tunnelIp(), 9, 300_000, { datagramSize: 1200 });
    expect(sent).toEqual({ bytes: 300_000, datagrams: 250 });
    const delta = (await settledCounter(rx, before + sent.bytes)) - before;
    expect(delta).toBeGreaterThanOrEqual(sent.bytes);
    expect(delta).toBeLessThanOrEqual(sent.bytes + sent.datagrams * WG_PER_PACKET_OVERHEAD + 1024);
  });

  it('stops traffic when the node removes the peer', async () => {
    const client = lab.client(1);
    await nodeIf.removePeer((await client.keys()).publicKey);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 1500 })).toBe(false);
  });

  it('leaves no namespace, process, socket, link or folder behind', async () => {
    const pids = [...lab.resources.pids];
    const namespaces = lab.namespaces;
    expect(pids.length).toBeGreaterThanOrEqual(3); // node + client wireguard-go, echo server
    await lab.destroy();
    await lab.destroy(); // idempotent
    const left = await listNamespaces();
    expect(namespaces.filter((n) => left.includes(n))).toEqual([]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await labSockets(lab.prefix)).toEqual([]);
    await expect(ip(null, ['link', 'show', `${lab.prefix}h`])).rejects.toThrow();
    expect(existsSync(lab.dir)).toBe(false);
  });
});
