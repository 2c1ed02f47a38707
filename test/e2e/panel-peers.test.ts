// Peers through the panel API on real WireGuard: two nodes joined by their join strings, a peer
// on each added through the API, real clients started from the downloaded configs; restrict
// cuts one client's traffic (and only its), allow brings it back, delete removes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  startNodeAgent,
  type LabClient,
  type LabNode,
  type NodeAgent,
  type WgInterface,
  confValues,
  connectionOf,
} from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';

interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('panel peers on real WireGuard', () => {
  let lab: Lab;
  let agents: NodeAgent[];
  let ifs: WgInterface[];
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, { realClock: true });
  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json() as Answer;
  };

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 2, clients: 2 });
    ifs = await Promise.all(lab.nodes.map((n) => n.createWgInterface()));
    agents = await Promise.all(lab.nodes.map((n) => startNodeAgent(lab, n)));
    await Promise.all(lab.nodes.map((n) => n.startEcho()));
  });
  afterAll(() => lab?.destroy());

  /** Joins node i, adds a peer for client i through the API, connects the client from its config. */
  async function peerOn(
    i: number,
  ): Promise<{ configName: string; id: string; client: LabClient; node: LabNode }> {
    const node = lab.node(i);
    const client = lab.client(i);
    const added = await api('POST', '/api/addNode', {
      name: `lab-node-${i}`,
      join: agents[i - 1]!.join.raw,
      public_host: node.underlayIp,
    });
    const configName = added.data.adopted[0].ConfigurationName as string;
    expect(added.data.adopted[0].interface).toBe(ifs[i - 1]!.name);

    // The client's own keys are given, so the lab client runs with the downloaded file's key.
    const keys = await client.keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: `lab client ${i}`,
        public_key: keys.publicKey,
        private_key: keys.privateKey,
        preshared_key_bulkAdd: true,
      })
    ).data;
    expect(peer.allowed_ip).toBe(`10.200.${i}.2/32`);

    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(peer.id)}`,
    );
    const conf = confValues(download.data.file);
    expect(conf.get('PrivateKey')).toBe(keys.privateKey);
    expect(conf.get('Endpoint')).toBe(`${node.underlayIp}:51820`);
    expect(conf.get('PublicKey')).toBe(ifs[i - 1]!.publicKey);
    expect(conf.get('PresharedKey')).toMatch(/=$/);
    const { target, options } = connectionOf(download.data.file, node.tunnelSubnet);
    await client.connect(target, options);
    return { configName, id: peer.id as string, client, node };
  }

  const onNode = async (i: number, key: string) =>
    (await agents[i - 1]!.client.dump(ifs[i - 1]!.name)).body.peers.some(
      (p) => p.public_key === key,
    );

  it('adds peers, connects clients from their configs, restricts, allows and deletes', async () => {
    const one = await peerOn(1);
    const two = await peerOn(2);
    expect(await onNode(1, one.id)).toBe(true);
    expect(await one.client.probe(one.node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    expect(await two.client.probe(two.node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    const restricted = await api('POST', `/api/restrictPeers/${one.configName}`, {
      peers: [one.id],
    });
    expect(restricted.message).toBe('1 peer(s) restricted'); // applied on the node at once
    expect(await onNode(1, one.id)).toBe(false);
    expect(await one.client.probe(one.node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    expect(await two.client.probe(two.node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    const allowed = await api('POST', `/api/allowAccessPeers/${one.configName}`, {
      peers: [one.id],
    });
    expect(allowed.message).toBe('1 peer(s) allowed');
    expect(await onNode(1, one.id)).toBe(true);
    await one.client.reconnect();
    expect(await one.client.probe(one.node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    await api('POST', `/api/deletePeers/${one.configName}`, { peers: [one.id] });
    expect(await onNode(1, one.id)).toBe(false);
    expect(await onNode(2, two.id)).toBe(true);
  });
});
