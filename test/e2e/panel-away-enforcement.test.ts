// The node enforces on its own while the panel is away (issue 14), end to end on real WireGuard:
// a panel process polling every second hands the node its allowances; the panel is SIGKILLed; a
// client crosses its limit and is cut by the agent within 3 s of crossing, another peer's date
// passes and it is cut; a panel started again on the same database lists both restricted with
// the right reason, records the events at the node's time, acknowledges the agent's records, and
// counts the bytes once.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enforcement } from '../../src/shared/wire/agent-api.js';
import {
  Lab,
  PanelProcess,
  PanelSession,
  WG_PER_PACKET_OVERHEAD,
  connectionOf,
  sleep,
  startNodeAgent,
  waitFor,
  wgDump,
  type LabClient,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { rxCeiling } from './agent-fixture.js';

const PASSWORD = 'panel-process-password';
const POLL_S = 1;
/** The grace the panel gives: 3 poll intervals. */
const GRACE_MS = 3 * POLL_S * 1000;
const LIMIT = 1024 * 1024;

interface EnforcementFile {
  allowances: Record<string, { peers: Record<string, [number | null, number, number | null]> }>;
  records: (Enforcement & { interface: string })[];
}

describe('the node enforces while the panel is killed; the panel records it when back', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let dataDir = '';
  let panel: PanelProcess | undefined;
  let session: PanelSession | undefined;
  let configName = '';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see PanelSession.api
  const api = (method: 'GET' | 'POST', path: string, body?: object): Promise<any> => {
    if (!session) throw new Error('no panel running');
    return session.api(method, path, body);
  };
  async function startPanel(): Promise<void> {
    panel = await PanelProcess.start({
      args: ['--data-dir', dataDir],
      env: { WGFLEET_PANEL_POLL_INTERVAL: String(POLL_S) },
    });
    session = await PanelSession.signIn(panel.base, PASSWORD);
  }
  /** The agent's enforcement file, read from its state folder (no call that the agent hears). */
  const enforcementFile = async (): Promise<EnforcementFile> =>
    JSON.parse(
      await readFile(join(lab.node(1).stateDir, 'enforcement.json'), 'utf8'),
    ) as EnforcementFile;
  /** The peer on the node as `wg show` says (not the agent: the panel must stay silent). */
  const onNode = async (key: string) =>
    (await wgDump(lab.node(1).ns, nodeIf.name)).peers.find((p) => p.public_key === key);
  const listed = async (key: string) => {
    const data = await api(
      'GET',
      `/api/getWireguardConfigurationInfo?configurationName=${configName}`,
    );
    return [...data.configurationPeers, ...data.configurationRestrictedPeers].find(
      (p: { id: string }) => p.id === key,
    ) as { status: string; restriction_reason: string | null; usage_total: number } | undefined;
  };
  const events = async (key: string, type: string) =>
    (
      await api(
        'GET',
        `/api/getPeerEvents?configurationName=${configName}&id=${encodeURIComponent(key)}&type=${type}`,
      )
    ).events as { type: string; created_at: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 2 });
    nodeIf = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1), { extraArgs: ['--read-interval', '1'] });
    await lab.node(1).startEcho();
    dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-away-'));
    await startPanel();
    const added = await api('POST', '/api/addNode', {
      name: 'away-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.adopted[0].ConfigurationName as string;
  });
  afterAll(async () => {
    await panel?.stop();
    await lab?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function connectClient(i: number): Promise<{ key: string; client: LabClient }> {
    const client = lab.client(i);
    const keys = await client.keys();
    const [peer] = await api('POST', `/api/addPeers/${configName}`, {
      name: `away client ${i}`,
      public_key: keys.publicKey,
      private_key: keys.privateKey,
    });
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(peer.id)}`,
    );
    const { target, options } = connectionOf(download.file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    return { key: peer.id as string, client };
  }

  it('cuts at the limit and at the date with the panel dead, and the panel records it once when back', async () => {
    const over = await connectClient(1);
    const expiring = await connectClient(2);
    await api('POST', `/api/updatePeerTrafficLimit/${configName}`, {
      id: over.key,
      traffic_limit: LIMIT,
    });
    const before = 200_000;
    await over.client.sendUdp(lab.node(1).tunnelIp(), 9, before);
    await waitFor(
      'the panel to count the first bytes',
      async () => ((await listed(over.key))!.usage_total >= before ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const expiresAt = new Date(Date.now() + 12_000);
    await api('POST', `/api/updatePeerExpiryDate/${configName}`, {
      id: expiring.key,
      expiry_date: expiresAt.toISOString(),
    });
    // The node holds both allowances (the quota changes converged, handing them at once), the
    // limited one counted from the bytes the panel has counted.
    await waitFor(
      'the allowances on the node',
      async () => {
        const a = (await enforcementFile()).allowances[nodeIf.name]?.peers ?? {};
        const o = a[over.key];
        const e = a[expiring.key];
        return o && o[1] >= before && e?.[2] === expiresAt.getTime() ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );

    await panel!.kill();
    await sleep(GRACE_MS + 500); // the panel is silent for longer than the grace

    const sending = over.client.sendUdp(lab.node(1).tunnelIp(), 9, 2 * LIMIT, {
      batch: 8,
      pauseMs: 8,
    });
    let lastSeen = 0;
    await waitFor(
      'the client to cross its limit',
      async () => {
        const p = await onNode(over.key);
        if (p) lastSeen = p.transfer_rx + p.transfer_tx;
        // A peer the panel created counts from zero: its raw counters are its usage.
        return !p || lastSeen >= LIMIT ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    await waitFor(
      'the agent to cut it',
      async () => ((await onNode(over.key)) ? undefined : true),
      {
        timeoutMs: 3_000,
        intervalMs: 50,
      },
    );
    const sent = await sending;
    await sleep(Math.max(0, expiresAt.getTime() - Date.now()));
    await waitFor(
      'the expired peer cut',
      async () => ((await onNode(expiring.key)) ? undefined : true),
      { timeoutMs: 3_000, intervalMs: 50 },
    );
    // The record is saved right after the removal: wait for both (bounded).
    const records = await waitFor(
      'both records saved',
      async () => {
        const byKey = new Map((await enforcementFile()).records.map((r) => [r.public_key, r]));
        return byKey.has(over.key) && byKey.has(expiring.key) ? byKey : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    const cutOver = records.get(over.key)!;
    const cutExpired = records.get(expiring.key)!;
    expect(cutOver).toMatchObject({ reason: 'traffic_limit' });
    expect(cutExpired).toMatchObject({ reason: 'expired' });
    expect(Date.parse(cutExpired.at)).toBeGreaterThanOrEqual(expiresAt.getTime());
    const countedByNode = cutOver.total_rx + cutOver.total_tx;
    expect(countedByNode).toBeGreaterThanOrEqual(Math.max(LIMIT, lastSeen));

    await startPanel();
    const back = await waitFor(
      'both listed restricted',
      async () => {
        const [o, e] = [await listed(over.key), await listed(expiring.key)];
        return o?.status === 'restricted' && e?.status === 'restricted' ? { o, e } : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(back.o.restriction_reason).toBe('traffic_limit');
    expect(back.e.restriction_reason).toBe('expired');
    // Exactly what the node counted up to the cut: nothing lost while the panel was dead, nothing
    // counted twice (the ingest and the cut's record meet at the same totals).
    expect(back.o.usage_total).toBe(countedByNode);
    expect(back.o.usage_total).toBeLessThanOrEqual(
      rxCeiling(
        { bytes: before + sent.bytes, datagrams: sent.datagrams + Math.ceil(before / 1000) },
        WG_PER_PACKET_OVERHEAD,
        16_384,
      ),
    );

    const overEvents = await events(over.key, 'exceeded,restricted');
    expect(overEvents.map((e) => e.type).sort()).toEqual(['exceeded', 'restricted']);
    for (const e of overEvents) {
      expect(Date.parse(e.created_at)).toBe(Date.parse(cutOver.at)); // the node's time
      expect(e.data).toMatchObject({ by: 'agent' });
    }
    const expiredEvents = await events(expiring.key, 'expired,restricted');
    expect(expiredEvents.map((e) => e.type).sort()).toEqual(['expired', 'restricted']);
    for (const e of expiredEvents) expect(Date.parse(e.created_at)).toBe(Date.parse(cutExpired.at));

    // The agent's records are acknowledged, and the allowances it holds no longer name the cut
    // peers (the panel restricted them).
    await waitFor(
      'the records acknowledged',
      async () => {
        const f = await enforcementFile();
        const names = Object.keys(f.allowances[nodeIf.name]?.peers ?? {});
        return f.records.length === 0 && !names.includes(over.key) ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    // Further polls count nothing more, and record nothing twice.
    await sleep(3 * POLL_S * 1000);
    expect((await listed(over.key))!.usage_total).toBe(countedByNode);
    expect(await events(over.key, 'exceeded,restricted')).toHaveLength(2);
    expect(await onNode(over.key)).toBeUndefined();
  });
});
