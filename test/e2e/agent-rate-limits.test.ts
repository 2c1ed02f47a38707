// Per-peer speed limits on real WireGuard: the agent shapes with tc (HTB on the interface for
// downloads, on an IFB fed from its ingress for uploads), and a real TCP transfer through the
// tunnel is measured at the receiver against the configured rate — in each direction, for two
// peers at once, across an interface down/up and an agent restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimit } from '../../src/shared/wire/agent-api.js';
import {
  Lab,
  execIn,
  ip,
  measureTcp,
  startNodeAgent,
  waitFor,
  type NodeAgent,
} from '../lab/index.js';
import { startAgent } from '../lab/agent-process.js';
import { ifbName } from '../../src/agent/tc/ifb-name.js';

const PORT = 51820;
const MBIT = 1_000_000;
/** Every limited transfer runs 4 s (the first 0.7 s left out of the rate): long enough for ±15 %. */
const SECONDS = 4;
const TOLERANCE = 0.15;

describe('agent speed limits on real WireGuard (tc)', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let iface: string;
  const keys: string[] = [];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 2 });
    const node = lab.node(1);
    agent = await startNodeAgent(lab, node, { extraArgs: ['--read-interval', '1'] });
    iface = node.ifName('r');
    await node.startEcho();
    const made = await agent.client.createInterface({
      name: iface,
      address: `${node.tunnelIp(1)}/24`,
      listen_port: PORT,
    });
    expect(made.status, made.text).toBe(201);
    for (const j of [1, 2]) {
      const client = lab.client(j);
      const { publicKey } = await client.keys();
      keys.push(publicKey);
      await put(j, null);
      await client.connect(node.target(made.body.public_key ?? '', PORT));
      // The client speaks first: the node learns its endpoint (downloads start at the node).
      expect(await client.probe(node.tunnelIp())).toBe(true);
    }
  });
  afterAll(() => lab?.destroy());

  async function put(j: number, limit: RateLimit | null) {
    const client = lab.client(j);
    const res = await agent.client.putPeer(iface, keys[j - 1]!, {
      allowed_ips: [client.addressIn(lab.node(1).tunnelSubnet)],
      rate_limit: limit,
    });
    expect(res.status, res.text).toBe(200);
  }
  const both = (mbit: number): RateLimit => ({
    download_bps: mbit * MBIT,
    upload_bps: mbit * MBIT,
  });

  /** Goodput of one bounded transfer: node → client j (download) or client j → node (upload). */
  function transfer(j: number, dir: 'download' | 'upload', expectBps: number | null, port = 5201) {
    const node = lab.node(1);
    const client = lab.client(j);
    // Bounded in bytes too: 1.5 times what the limit allows in the time (or 60 MB unlimited).
    const maxBytes = expectBps === null ? 60_000_000 : Math.ceil((expectBps / 8) * SECONDS * 1.5);
    const ends =
      dir === 'download'
        ? { sinkNs: client.ns, sinkIp: client.tunnelIp, srcNs: node.ns }
        : { sinkNs: node.ns, sinkIp: node.tunnelIp(1), srcNs: client.ns };
    return measureTcp(lab.resources, { ...ends, port: port + j, maxMs: SECONDS * 1000, maxBytes });
  }
  async function expectRate(j: number, dir: 'download' | 'upload', bps: number) {
    const r = await transfer(j, dir, bps);
    expect(
      Math.abs(r.rateBps - bps) / bps,
      `${dir} ${r.rateBps} bit/s, limit ${bps}`,
    ).toBeLessThanOrEqual(TOLERANCE);
    return r;
  }
  const tcShow = (what: 'class' | 'filter', dev: string) =>
    execIn(lab.node(1).ns, 'tc', [what, 'show', 'dev', dev]).catch(() => '');
  const linkExists = (name: string) =>
    ip(lab.node(1).ns, ['link', 'show', name]).then(
      () => true,
      () => false,
    );

  for (const mbit of [1, 5, 20])
    it(`holds ${mbit} Mbit/s in each direction within ±15 %`, async () => {
      await put(1, both(mbit));
      await expectRate(1, 'download', mbit * MBIT);
      await expectRate(1, 'upload', mbit * MBIT);
    });

  it('clearing the limit restores full speed and removes its classes', async () => {
    await put(1, both(5));
    await expectRate(1, 'download', 5 * MBIT);
    await put(1, null);
    expect(await tcShow('class', iface)).toBe('');
    expect(await linkExists(ifbName(iface))).toBe(false);
    for (const dir of ['download', 'upload'] as const) {
      const r = await transfer(1, dir, null);
      expect(r.rateBps, dir).toBeGreaterThan(4 * 5 * MBIT);
    }
  });

  it('two peers on one interface each get their own limit, at the same time', async () => {
    await put(1, { download_bps: 3 * MBIT, upload_bps: 2 * MBIT });
    await put(2, { download_bps: 8 * MBIT, upload_bps: 6 * MBIT });
    for (const [dir, rates] of [
      ['download', [3, 8]],
      ['upload', [2, 6]],
    ] as const) {
      const [a, b] = await Promise.all([
        transfer(1, dir, rates[0] * MBIT),
        transfer(2, dir, rates[1] * MBIT),
      ]);
      for (const [r, mbit] of [
        [a, rates[0]],
        [b, rates[1]],
      ] as const)
        expect(
          Math.abs(r.rateBps - mbit * MBIT) / (mbit * MBIT),
          `${dir} ${r.rateBps}`,
        ).toBeLessThanOrEqual(TOLERANCE);
    }
    await put(2, null);
  });

  it('a limit survives the interface going down and up (the IFB goes and comes with it)', async () => {
    await put(1, both(4));
    const down = await agent.client.down(iface);
    expect(down.status, down.text).toBe(200);
    await waitFor(
      'the IFB removed with the interface',
      async () => !(await linkExists(ifbName(iface))) || undefined,
      {
        timeoutMs: 10_000,
      },
    );
    const up = await agent.client.up(iface);
    expect(up.status, up.text).toBe(200);
    // The read loop sees a new incarnation of the interface and rebuilds its shaping.
    await waitFor(
      'classes back on the new interface',
      async () => (await tcShow('class', iface)).includes('htb 1:') || undefined,
      {
        timeoutMs: 15_000,
      },
    );
    await lab.client(1).reconnect();
    expect(await lab.client(1).probe(lab.node(1).tunnelIp())).toBe(true);
    await expectRate(1, 'download', 4 * MBIT);
    await expectRate(1, 'upload', 4 * MBIT);
  });

  it('a limit survives an agent restart, even with the interface re-made while it was away', async () => {
    const node = lab.node(1);
    await put(1, both(6));
    await agent.process.stop();
    // Behind the agent's back: the interface is re-created, the kernel's shaping is gone.
    const conf = `${node.confDir}/${iface}.conf`;
    await execIn(node.ns, 'wg-quick', ['down', conf], { timeoutMs: 30_000 });
    await execIn(node.ns, 'wg-quick', ['up', conf], { timeoutMs: 30_000 });
    expect(await tcShow('class', iface)).toBe('');
    const proc = await startAgent(lab.resources, node.ns, {
      stateDir: node.stateDir,
      confDir: node.confDir,
      listen: agent.listen,
      extraArgs: ['--read-interval', '1'],
    });
    lab.onDestroy(() => proc.stop());
    agent = { ...agent, process: proc };
    // The first reading, before the API answers, rebuilds from the saved limits.
    expect(await tcShow('class', iface)).toContain('rate 6Mbit');
    await lab.client(1).reconnect();
    expect(await lab.client(1).probe(lab.node(1).tunnelIp())).toBe(true);
    await expectRate(1, 'download', 6 * MBIT);
    await expectRate(1, 'upload', 6 * MBIT);
  });

  it('removes the limit with the peer, and the IFB with the interface', async () => {
    await put(2, { download_bps: null, upload_bps: 1 * MBIT });
    const del = await agent.client.deletePeer(iface, keys[0]!);
    expect(del.status, del.text).toBe(200);
    expect(await tcShow('class', iface)).toBe(''); // peer 1 was the only download limit
    expect(await tcShow('class', ifbName(iface))).toContain('rate 1Mbit');
    expect(await tcShow('class', ifbName(iface))).not.toContain('rate 6Mbit');
    const gone = await agent.client.deleteInterface(iface);
    expect(gone.status, gone.text).toBe(200);
    expect(await linkExists(ifbName(iface))).toBe(false);
  });
});
