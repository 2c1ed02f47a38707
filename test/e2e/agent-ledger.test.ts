// The agent's own ledger and enforcement on real WireGuard: a client really sends traffic while
// the interface is taken down and up behind the agent's back, while the agent is SIGKILLed, and
// while no panel calls (the agent cuts the peer itself).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  WG_PER_PACKET_OVERHEAD,
  execIn,
  sleep,
  startNodeAgent,
  waitFor,
  wgDump,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { startAgent } from '../lab/agent-process.js';
import { apiPeer, rxCeiling } from './agent-fixture.js';

const READ_INTERVAL_S = 1;

describe('agent ledger on real WireGuard', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let keys: string[];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 2 });
    const node = lab.node(1);
    nodeIf = await node.createWgInterface();
    agent = await startNodeAgent(lab, node, {
      extraArgs: ['--read-interval', String(READ_INTERVAL_S)],
    });
    await node.startEcho();
    keys = [];
    for (const j of [1, 2]) {
      const client = lab.client(j);
      const { publicKey } = await client.keys();
      keys.push(publicKey);
      const body = { allowed_ips: [client.addressIn(node.tunnelSubnet)] };
      expect((await agent.client.putPeer(nodeIf.name, publicKey, body)).status).toBe(200);
      await client.connect(node.targetOf(nodeIf));
      expect(await client.probe(node.tunnelIp())).toBe(true);
    }
  });
  afterAll(() => lab?.destroy());

  const raw = async (key: string) =>
    (await wgDump(lab.node(1).ns, nodeIf.name)).peers.find((p) => p.public_key === key);
  const rawRx = async (key: string) => (await raw(key))?.transfer_rx ?? 0;
  const totalRx = async (key: string) =>
    (await apiPeer(agent.client, nodeIf.name, key))?.total_rx ?? -1;
  /** Reads the raw counter until it stops moving (packets still in wireguard-go's queues). */
  const settledRx = async (key: string) => {
    let last = -1;
    return waitFor(
      'raw counter to settle',
      async () => {
        const now = await rawRx(key);
        const done = now === last;
        last = now;
        return done ? now : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 300 },
    );
  };
  const conf = () => join(lab.node(1).confDir, `${nodeIf.name}.conf`);

  it('keeps counting across wg-quick down/up outside the agent, within one read interval', async () => {
    const key = keys[0]!;
    const t0 = await totalRx(key);
    const started = Date.now();
    // About 1 MB/s: 8 datagrams of 1000 bytes, then 8 ms of pause.
    const sending = lab.client(1).sendUdp(lab.node(1).tunnelIp(), 9, 4_000_000, {
      batch: 8,
      pauseMs: 8,
    });
    await waitFor(
      '2.5 MB through the tunnel',
      async () => ((await rawRx(key)) >= 2_500_000 ? true : undefined),
      { timeoutMs: 40_000, intervalMs: 50 },
    );
    const beforeDown = await rawRx(key); // what WireGuard counted, read just before the reset
    await execIn(lab.node(1).ns, 'wg-quick', ['down', conf()], { timeoutMs: 30_000 });
    await execIn(lab.node(1).ns, 'wg-quick', ['up', conf()], { timeoutMs: 30_000 });
    await lab.client(1).reconnect(); // the node forgot the session: handshake again at once
    const sent = await sending;
    const rate = sent.bytes / ((Date.now() - started) / 1000);
    const afterUp = await settledRx(key);
    // A dump's totals are the read loop's latest reading (at most one read interval old).
    await sleep(READ_INTERVAL_S * 1000 + 200);
    const counted = (await totalRx(key)) - t0;
    // WireGuard's own count is at least beforeDown + afterUp; the ledger loses at most what came
    // between its last reading and the down (one read interval of traffic, plus overhead).
    const oneInterval = rate * READ_INTERVAL_S * 1.2 + 64 * 1024;
    expect(afterUp).toBeGreaterThan(0);
    expect(counted).toBeGreaterThanOrEqual(beforeDown + afterUp - oneInterval);
    expect(counted).toBeLessThanOrEqual(rxCeiling(sent, WG_PER_PACKET_OVERHEAD));
  });

  it('keeps the totals and the epoch across SIGKILL and restart, within 64 KiB', async () => {
    const key = keys[0]!;
    const before = await agent.client.dump(nodeIf.name);
    const t0 = before.body.peers.find((p) => p.public_key === key)!.total_rx!;
    const r0 = await rawRx(key);
    await lab.client(1).sendUdp(lab.node(1).tunnelIp(), 9, 1_000_000);
    await settledRx(key);
    await sleep(READ_INTERVAL_S * 1000 + 200); // read by the loop, maybe not saved yet
    process.kill(agent.process.pid, 'SIGKILL');
    await agent.process.exited;
    await lab.client(1).sendUdp(lab.node(1).tunnelIp(), 9, 500_000); // while the agent is dead
    const r1 = await settledRx(key);
    const proc = await startAgent(lab.resources, lab.node(1).ns, {
      stateDir: lab.node(1).stateDir,
      confDir: lab.node(1).confDir,
      listen: agent.listen,
    });
    lab.onDestroy(() => proc.stop());
    agent = { ...agent, process: proc };
    const after = await agent.client.dump(nodeIf.name);
    expect(after.body.interface.epoch).toBe(before.body.interface.epoch);
    const counted = after.body.peers.find((p) => p.public_key === key)!.total_rx! - t0;
    expect(Math.abs(counted - (r1 - r0))).toBeLessThanOrEqual(64 * 1024);
  });

  it('cuts a peer within 3 s of crossing its allowance, and one whose date passed, with no panel', async () => {
    const [over, expiring] = [keys[0]!, keys[1]!];
    const expiresAt = Date.now() + 6_000;
    const put = await agent.client.putAllowances(nodeIf.name, {
      grace_seconds: 1,
      peers: [
        { public_key: over, remaining_bytes: 300_000, expires_at: null },
        {
          public_key: expiring,
          remaining_bytes: null,
          expires_at: new Date(expiresAt).toISOString(),
        },
      ],
    });
    expect(put.status, put.text).toBe(200);
    const base = await raw(over).then((p) => p!.transfer_rx + p!.transfer_tx);
    // From here on nothing calls the agent until the records are read: the panel is "away".
    const sending = lab.client(1).sendUdp(lab.node(1).tunnelIp(), 9, 800_000, {
      batch: 8,
      pauseMs: 8,
    });
    await sleep(1_100); // longer than the grace; the client keeps sending
    await waitFor(
      'the client to cross its allowance',
      async () => {
        const p = await raw(over);
        return !p || p.transfer_rx + p.transfer_tx - base >= 300_000 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    await waitFor('the agent to cut it', async () => ((await raw(over)) ? undefined : true), {
      timeoutMs: 3_000,
      intervalMs: 50,
    });
    await sending;
    expect(await raw(expiring)).toBeDefined(); // its date has not passed yet
    await sleep(Math.max(0, expiresAt - Date.now()));
    await waitFor('the expired peer cut', async () => ((await raw(expiring)) ? undefined : true), {
      timeoutMs: 3_000,
      intervalMs: 50,
    });
    await sleep(READ_INTERVAL_S * 1000 + 200);
    expect(await raw(over)).toBeUndefined(); // stays cut
    expect(await lab.node(1).readConf(nodeIf.name)).not.toContain(over);

    const res = await agent.client.enforcements(nodeIf.name);
    expect(res.status, res.text).toBe(200);
    const byKey = new Map(res.body.enforcements.map((e) => [e.public_key, e]));
    expect(byKey.get(over)).toMatchObject({ reason: 'traffic_limit', remaining_bytes: 300_000 });
    expect(byKey.get(over)!.used_bytes).toBeGreaterThanOrEqual(300_000);
    expect(byKey.get(expiring)).toMatchObject({ reason: 'expired' });
    expect(Date.parse(byKey.get(expiring)!.at)).toBeGreaterThanOrEqual(expiresAt);
  });
});
