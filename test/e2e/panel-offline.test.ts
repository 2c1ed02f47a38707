// Convergence with a node that was away: its agent stops, a peer is restricted meanwhile (saved,
// not applied), the agent starts again, and the poller removes the peer from WireGuard within a
// poll of the node answering; its client's traffic stops. Allowing it while the node is up puts
// it back at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';
import {
  Lab,
  startAgent,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;
const POLL_MS = 1000;

describe('a node that comes back converges', () => {
  const get = usePanel(sqlite, {
    start: true,
    realClock: true,
    config: { pollIntervalMs: POLL_MS },
  });
  let lab: Lab;
  let wg: WgInterface;
  let agent: NodeAgent;

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    wg = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
  });
  afterAll(() => lab?.destroy());

  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await get().panel.app.inject({ method, url, headers: get().headers, payload });
    return { status: res.statusCode, body: res.json(), text: res.body };
  };
  const nodeStatus = async () =>
    ((await api('GET', '/api/getNodes')).body.data as { status: string }[])[0]?.status;
  const onNode = async (key: string) => {
    const dump = await wg.dump();
    return dump.peers.some((p) => p.public_key === key);
  };
  const waitUntil = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) =>
    waitFor(what, async () => (await check()) || undefined, { timeoutMs, intervalMs: 100 });

  it('removes a peer restricted while the node was down as soon as it answers again', async () => {
    const [node, client] = [lab.node(1), lab.client(1)];
    const joined = await api('POST', '/api/addNode', {
      name: 'n1',
      join: agent.join.raw,
      public_host: node.underlayIp,
    });
    expect(joined.status, joined.text).toBe(200);
    const configName = joined.body.data.adopted[0].ConfigurationName as string;
    const keys = await client.keys();
    const added = await api('POST', `/api/addPeers/${configName}`, {
      name: 'roamer',
      public_key: keys.publicKey,
      private_key: keys.privateKey,
    });
    expect(added.status, added.text).toBe(200);
    await client.connect(node.targetOf(wg), { address: added.body.data[0].allowed_ip });
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    await agent.process.stop();
    await waitUntil('node offline', async () => (await nodeStatus()) === 'offline');
    const restricted = await api('POST', `/api/restrictPeers/${configName}`, {
      peers: [keys.publicKey],
    });
    expect(restricted.status, restricted.text).toBe(200);
    // Saved, not applied: the node did not hear of it, the peer is still on WireGuard.
    expect(await onNode(keys.publicKey)).toBe(true);

    const again = await startAgent(lab.resources, node.ns, {
      stateDir: node.stateDir,
      confDir: node.confDir,
      listen: agent.listen,
    });
    lab.onDestroy(() => again.stop());
    await waitUntil('node online', async () => (await nodeStatus()) === 'online', 30_000);
    // The poll that found the node again repairs it; allow one more for the timing of the check.
    await waitUntil(
      'peer removed',
      async () => !(await onNode(keys.publicKey)),
      2 * POLL_MS + 2000,
    );
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);

    const allowed = await api('POST', `/api/allowAccessPeers/${configName}`, {
      peers: [keys.publicKey],
    });
    expect(allowed.status, allowed.text).toBe(200);
    expect(await onNode(keys.publicKey)).toBe(true);
    await client.reconnect();
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });
});
