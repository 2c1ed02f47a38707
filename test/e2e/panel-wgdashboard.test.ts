// WGDashboard 4.3 routes on real WireGuard: the raw configuration file read from and written to
// a real node (its peers become the desired state, a real client keeps working across the
// interface restart it causes), realtime traffic from real polls, and peer jobs: a total_data
// job cuts a real client over its limit, a date job at its date, a total_receive job resets a
// real client's usage and another deletes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Lab,
  startNodeAgent,
  waitFor,
  connectionOf,
  type LabClient,
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

const PACE = { batch: 32, pauseMs: 20 } as const;

describe('WGDashboard 4.3 routes on real WireGuard', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let nodeIf: WgInterface;
  let configName: string;
  const get = usePanel(DIALECTS_UNDER_TEST[0]!, {
    start: true,
    realClock: true,
    config: { pollIntervalMs: 1000 },
  });
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    return { statusCode: res.statusCode, body: res.json() as Answer };
  };
  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const r = await call(method, url, payload);
    expect(r.statusCode, `${url}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    return r.body;
  };
  const onNode = async () =>
    (await agent.client.dump(nodeIf.name)).body.peers.map((p) => p.public_key).sort();

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 5 });
    nodeIf = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const added = await api('POST', '/api/addNode', {
      name: 'wgd-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = added.data.adopted[0].ConfigurationName as string;
  });
  afterAll(() => lab?.destroy());

  async function connect(client: LabClient, id: string) {
    const download = await api(
      'GET',
      `/api/downloadPeer/${configName}?id=${encodeURIComponent(id)}`,
    );
    const { target, options } = connectionOf(download.data.file, lab.node(1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
  }

  it('raw file: read from the node, replaced; the [Peer] set and MTU reach the node, the client keeps working', async () => {
    const one = lab.client(1);
    const k1 = await one.keys();
    const [p1] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: 'one',
        public_key: k1.publicKey,
        private_key: k1.privateKey,
      })
    ).data;
    await connect(one, p1.id);
    const [doomed] = (await api('POST', `/api/addPeers/${configName}`, { name: 'doomed' })).data;
    const q = `configurationName=${configName}`;
    const file = (await api('GET', `/api/getWireguardConfigurationRawFile?${q}`)).data;
    expect(file.content).toContain(`PublicKey = ${p1.id}`);
    expect(file.content).toContain(`AllowedIPs = ${p1.allowed_ip}`);
    expect(file.content).not.toMatch(/^\s*PrivateKey\s*=/m);

    // A bad file: nothing changes, the line is named.
    const bad = await call('POST', '/api/updateWireguardConfigurationRawFile', {
      configurationName: configName,
      rawConfiguration: `${file.content}\n[Peer]\nPublicKey = nope\nAllowedIPs = 10.0.0.9/32\n`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.message).toMatch(
      /^rawConfiguration: line \d+: "nope" is not a WireGuard public key$/,
    );
    expect(await onNode()).toEqual([p1.id, doomed.id].sort());

    // The second client's peer added by the file, the doomed one left out, MTU set.
    const two = lab.client(2);
    const k2 = await two.keys();
    const without = file.content.replace(
      new RegExp(`\\[Peer\\]\\nPublicKey = ${doomed.id.replace(/[+/]/g, '\\$&')}[^[]*`),
      '',
    );
    const next =
      without.replace('[Interface]', '[Interface]\nMTU = 1380') +
      `\n[Peer]\nPublicKey = ${k2.publicKey}\nAllowedIPs = ${lab
        .node(1)
        .tunnelIp()
        .replace(/\.\d+$/, '.200')}/32\n`;
    const done = await api('POST', '/api/updateWireguardConfigurationRawFile', {
      configurationName: configName,
      rawConfiguration: next,
    });
    expect(done.message).toBe('[Interface] MTU changed; peers: 1 added, 0 updated, 1 deleted');
    expect(await onNode()).toEqual([p1.id, k2.publicKey].sort());
    const back = (await api('GET', `/api/getWireguardConfigurationRawFile?${q}`)).data.content;
    expect(back).toMatch(/^MTU = 1380$/m);
    // The interface restarted with the new MTU and the first client's peer: a client that
    // reconnects (fresh handshake) is through at once.
    await one.reconnect();
    expect(await one.probe(lab.node(1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    // The second client, once its private key is stored, gets a working config.
    await api('POST', `/api/updatePeerSettings/${configName}`, {
      id: k2.publicKey,
      private_key: k2.privateKey,
    });
    await connect(two, k2.publicKey);
  });

  it('realtime traffic: the rate between the two latest polls, in MiB/s', async () => {
    const q = `configurationName=${configName}`;
    const client = lab.client(1);
    const sending = client.sendUdp(lab.node(1).tunnelIp(), 9, 3_000_000, PACE);
    const seen = await waitFor(
      'a receive rate above zero',
      async () => {
        const r = (await api('GET', `/api/getWireguardConfigurationRealtimeTraffic?${q}`)).data;
        return r.recv > 0 ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    await sending;
    expect(Object.keys(seen).sort()).toEqual(['recv', 'sent']);
    expect(seen.recv).toBeLessThan(100); // MiB/s: a paced sender, not bytes
  });
  const peerRow = (key: string) =>
    get()
      .database.db.selectFrom('peers')
      .selectAll()
      .where('public_key', '=', key)
      .executeTakeFirstOrThrow();
  const until = (key: string, ok: (r: Awaited<ReturnType<typeof peerRow>>) => boolean) =>
    waitFor(
      'the peer row to change',
      async () => {
        const r = await peerRow(key);
        return ok(r) ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  async function jobClient(i: number) {
    const client = lab.client(i);
    const keys = await client.keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: `job client ${i}`,
        public_key: keys.publicKey,
        private_key: keys.privateKey,
      })
    ).data;
    await connect(client, peer.id);
    return { id: peer.id as string, client };
  }
  const job = (id: string, Field: string, Value: string, Action = 'restrict', JobID?: string) => ({
    Job: {
      JobID: JobID ?? `job-${id.slice(0, 8)}`,
      Configuration: configName,
      Peer: id,
      Field,
      Operator: 'lgt',
      Value,
      CreationDate: '',
      ExpireDate: '',
      Action,
    },
  });

  it("a total_data job cuts a real client once its traffic passes the job's GiB", async () => {
    const { id, client } = await jobClient(3);
    const node = lab.node(1);
    // 1 MiB, in 4.3's unit.
    const saved = await api(
      'POST',
      '/api/savePeerScheduleJob',
      job(id, 'total_data', '0.0009765625'),
    );
    expect(saved.data[0]).toMatchObject({ Field: 'total_data', Value: '0.0009765625' });
    expect((await peerRow(id)).traffic_limit).toBe(1048576n);
    await client.sendUdp(node.tunnelIp(), 9, 600_000, PACE);
    expect((await until(id, (r) => r.period_rx >= 600_000n)).status).toBe('active');
    await client.sendUdp(node.tunnelIp(), 9, 600_000, PACE);
    const cut = await until(id, (r) => r.status === 'restricted');
    expect(cut.restriction_reason).toBe('traffic_limit');
    await waitFor(
      'the peer gone from the node',
      async () => ((await onNode()).includes(id) ? undefined : true),
      {
        timeoutMs: 5000,
        intervalMs: 100,
      },
    );
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    const logs = (await api('GET', `/api/getPeerScheduleJobLogs/${configName}`)).data as {
      Message: string;
    }[];
    expect(logs.map((l) => l.Message)).toContain(
      `Peer ${id} from ${configName} is successfully restricted.`,
    );
  });

  it('a date job cuts a real client at its date', async () => {
    const { id, client } = await jobClient(4);
    // No enforcement pass for an hour: only the pass planned at the date can cut it in time.
    await api('POST', '/api/updatePanelSettings', { enforcement_interval_seconds: 3600 });
    const at = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    const value = at.toISOString().slice(0, 19).replace('T', ' ');
    await api('POST', '/api/savePeerScheduleJob', job(id, 'date', value));
    expect((await peerRow(id)).expiry_date?.getTime()).toBe(at.getTime());
    const cut = await until(id, (r) => r.status === 'restricted');
    expect(cut.restriction_reason).toBe('expired');
    expect(cut.restricted_at!.getTime()).toBeGreaterThanOrEqual(at.getTime());
    await waitFor(
      'the peer gone from the node',
      async () => ((await onNode()).includes(id) ? undefined : true),
      {
        timeoutMs: 5000,
        intervalMs: 100,
      },
    );
    expect(await client.probe(lab.node(1).tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    await api('POST', '/api/updatePanelSettings', { enforcement_interval_seconds: 30 });
  });

  it('a total_receive job resets a real client’s usage once it passes; another deletes it', async () => {
    const { id, client } = await jobClient(5);
    const node = lab.node(1);
    const messages = async () =>
      (
        (await api('GET', `/api/getPeerScheduleJobLogs/${configName}`)).data as {
          Message: string;
        }[]
      ).map((l) => l.Message);
    // 0.0005 GiB ≈ 524 kB received by the node from the client (4.3's total_receive).
    const saved = await api(
      'POST',
      '/api/savePeerScheduleJob',
      job(
        id,
        'total_receive',
        '0.0005',
        'reset_total_data_usage',
        'c0ffee00-0000-4000-8000-000000000001',
      ),
    );
    expect(saved.data[0]).toMatchObject({
      Field: 'total_receive',
      Action: 'reset_total_data_usage',
    });
    await client.sendUdp(node.tunnelIp(), 9, 700_000, PACE);
    await waitFor(
      'the reset job to run',
      async () =>
        (await messages()).includes(
          `Peer ${id} from ${configName} is successfully reset_total_data_usageed.`,
        ) || undefined,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const reset = await peerRow(id);
    expect(reset.status).toBe('active');
    expect(reset.period_rx).toBeLessThan(524_288n);
    // The period starts again; the lifetime keeps what passed the job (the poll that ran it may
    // have come before the last of the 700 kB).
    expect(reset.lifetime_rx).toBeGreaterThanOrEqual(524_288n);
    // Run once: it is finished and no longer in the peer's jobs; the client still gets through.
    const info = (
      await api('GET', `/api/getWireguardConfigurationInfo?configurationName=${configName}`)
    ).data;
    const listed = info.configurationPeers.find((p: { id: string }) => p.id === id);
    expect(listed.jobs).toEqual([]);
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 5000 })).toBe(true);

    await api(
      'POST',
      '/api/savePeerScheduleJob',
      job(id, 'total_receive', '0.0005', 'delete', 'c0ffee00-0000-4000-8000-000000000002'),
    );
    await client.sendUdp(node.tunnelIp(), 9, 700_000, PACE);
    await waitFor(
      'the peer deleted',
      async () =>
        (await get()
          .database.db.selectFrom('peers')
          .select('id')
          .where('public_key', '=', id)
          .executeTakeFirst()) === undefined || undefined,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await waitFor(
      'the peer gone from the node',
      async () => ((await onNode()).includes(id) ? undefined : true),
      { timeoutMs: 5000, intervalMs: 100 },
    );
    expect(await client.probe(node.tunnelIp(), { timeoutMs: 2000 })).toBe(false);
    expect(await messages()).toContain(`Peer ${id} from ${configName} is successfully deleteed.`);
  });
});
