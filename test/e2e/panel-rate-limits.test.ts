// Speed limits end to end: set through the panel's API, sent by its reconcile to a real agent,
// shaped by the node's kernel (tc), measured through a real tunnel; cleared the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  connectionOf,
  execIn,
  measureTcp,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';

interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('speed limits from the panel to the kernel', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let configName: string;
  let id: string;
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, {
    start: true,
    realClock: true,
    config: { pollIntervalMs: 1000 },
  });
  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json() as Answer;
  };
  const classes = () => execIn(lab.node(1).ns, 'tc', ['class', 'show', 'dev', nodeIf.name]);

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    nodeIf = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const added = await api('POST', '/api/addNode', {
      name: 'speed-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.data.adopted[0].ConfigurationName as string;
    const client = lab.client(1);
    const keys = await client.keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: 'speed client',
        public_key: keys.publicKey,
        private_key: keys.privateKey,
      })
    ).data;
    id = peer.id as string;
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(id)}`,
    );
    const { target, options } = connectionOf(download.data.file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  });
  afterAll(() => lab?.destroy());

  it('a limit set in the panel is shaped on the node, and cleared from there too', async () => {
    const set = await api('POST', `/api/updatePeerBandwidthLimit/${configName}`, {
      id,
      download_bps: '3Mbit',
      upload_bps: null,
    });
    expect(set.data).toMatchObject({ download_bps: 3_000_000, upload_bps: null });
    // The request converges the configuration before it answers (bounded wait for a slow node).
    await waitFor(
      'the class on the node',
      async () => (await classes()).includes('rate 3Mbit') || undefined,
      {
        timeoutMs: 15_000,
      },
    );
    const client = lab.client(1);
    const r = await measureTcp(lab.resources, {
      sinkNs: client.ns,
      sinkIp: client.tunnelIp,
      srcNs: lab.node(1).ns,
      maxMs: 4000,
      maxBytes: Math.ceil((3e6 / 8) * 4 * 1.5),
    });
    expect(Math.abs(r.rateBps - 3e6) / 3e6, `${r.rateBps} bit/s`).toBeLessThanOrEqual(0.15);

    await api('POST', `/api/updatePeerBandwidthLimit/${configName}`, { id, download_bps: null });
    await waitFor('no class left', async () => ((await classes()) === '' ? true : undefined), {
      timeoutMs: 15_000,
    });
  });

  it('over its quota with on_limit throttle the client keeps a working tunnel at the throttle speed; a reset brings full speed back', async () => {
    const client = lab.client(1);
    const download = (maxBytes: number, maxMs = 4000, warmupMs?: number) =>
      measureTcp(lab.resources, {
        sinkNs: client.ns,
        sinkIp: client.tunnelIp,
        srcNs: lab.node(1).ns,
        maxMs,
        maxBytes,
        ...(warmupMs !== undefined && { warmupMs }),
      });
    const peerShown = async () => {
      const info = await api(
        'GET',
        `/api/getWireguardConfigurationInfo?configurationName=${configName}`,
      );
      return [...info.data.configurationPeers, ...info.data.configurationRestrictedPeers].find(
        (p: { id: string }) => p.id === id,
      ) as { status: string; usage_total: number };
    };
    const bw = await api('POST', `/api/updatePeerBandwidthLimit/${configName}`, {
      id,
      on_limit: 'throttle',
      throttle_download_bps: '2Mbit',
    });
    expect(bw.data).toMatchObject({ on_limit: 'throttle', throttle_download_bps: 2_000_000 });
    // A limit 4 MiB above what was used so far, then 12 MiB at full speed: the poll crosses it.
    const used = (await peerShown()).usage_total;
    await api('POST', `/api/updatePeerTrafficLimit/${configName}`, {
      id,
      traffic_limit: used + 4 * 1024 * 1024,
    });
    // Bounded generously: the poll that crosses the limit may throttle the transfer's last bytes
    // (at 2 Mbit/s the whole 8 MiB past the limit would take ~34 s); it usually ends in ~1 s.
    const full = await download(12 * 1024 * 1024, 40_000, 0);
    expect(full.bytes).toBe(12 * 1024 * 1024);
    await waitFor(
      'the peer throttled and shaped to 2 Mbit/s on the node',
      async () =>
        ((await peerShown()).status === 'throttled' && (await classes()).includes('rate 2Mbit')) ||
        undefined,
      { timeoutMs: 20_000 },
    );
    const events = await api(
      'GET',
      `/api/getPeerEvents?configurationName=${configName}&id=${encodeURIComponent(id)}`,
    );
    const types = (events.data.events ?? events.data) as { type: string }[];
    expect(types.map((e) => e.type)).toEqual(expect.arrayContaining(['exceeded', 'throttled']));
    expect(types.map((e) => e.type)).not.toContain('restricted');

    // Still connected, at the throttle speed.
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    const slow = await download(Math.ceil((2e6 / 8) * 4 * 1.5));
    expect(Math.abs(slow.rateBps - 2e6) / 2e6, `${slow.rateBps} bit/s`).toBeLessThanOrEqual(0.15);

    // A reset lifts the cause: back to full speed (the class goes, the peer is active).
    await api('POST', `/api/resetPeerData/${configName}`, { id });
    await waitFor(
      'the throttle lifted',
      async () =>
        ((await classes()) === '' && (await peerShown()).status === 'active') || undefined,
      { timeoutMs: 20_000 },
    );
    // The reset left the peer its 4 MiB again: a transfer past it would be throttled anew within
    // a poll (and measured at 2 Mbit/s after the warm-up). 3 MiB, no warm-up, at most 3 s: at the
    // throttle speed it would take 12 s.
    const back = await download(3 * 1024 * 1024, 3000, 0);
    expect(back.rateBps, `${back.rateBps} bit/s after the reset`).toBeGreaterThan(2e6 * 2);
  });
});
