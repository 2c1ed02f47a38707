// Several panels on one PostgreSQL (issue 18), with real processes: three `wgfleet panel`
// processes (the built bundle) on a fresh PostgreSQL schema, two nodes (real agents, wireguard-go)
// with real clients. SIGKILL the panel holding a node: another takes it within its lease and two
// poll intervals, the usage recorded equals WireGuard's count, a quota crossed during the handover
// is still cut, and no event or webhook delivery comes twice. SIGSTOP a panel in the middle of a
// poll past its lease, SIGCONT it: its late writes are refused (the database keeps the new
// holder's, the panel's metric and log say so). A rolling restart of the three under API requests
// every 100 ms: no request fails (5xx or refused) after one retry on another panel.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST, type TestNamespace } from '../db/support/dialects-under-test.js';
import {
  Lab,
  PanelProcess,
  PanelSession,
  SHIPPED_CLI_COMMAND,
  connectionOf,
  sleep,
  startNodeAgent,
  waitFor,
  wgDump,
  type LabClient,
  type NodeAgent,
  type WgInterface,
} from '../lab/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const postgres = DIALECTS_UNDER_TEST.find((d) => d.name === 'postgres');
const PASSWORD = 'panel-cluster-password';
const POLL_S = 1;
const LEASE_MS = 2 * POLL_S * 1000;
/** The bound of a takeover: the lease runs out (a pass runs just after it), then a poll. */
const TAKEOVER_MS = LEASE_MS + 2 * POLL_S * 1000;
const LIMIT = 1024 * 1024;

interface Member {
  dir: string;
  proc: PanelProcess;
}

describe.skipIf(!postgres)('three panels on one PostgreSQL', () => {
  let namespace: TestNamespace;
  let db: pg.Client;
  let lab: Lab;
  const agents: NodeAgent[] = [];
  const ifs: WgInterface[] = [];
  const members: Member[] = [];
  let keyFile = '';
  let session: PanelSession;
  let rx: WebhookReceiver;
  const configs: string[] = [];
  const nodeIds: number[] = [];

  const spawnPanel = (dir: string) =>
    PanelProcess.start({
      command: SHIPPED_CLI_COMMAND,
      args: [
        '--data-dir',
        dir,
        '--database',
        namespace.url,
        '--secret-key-file',
        keyFile,
        '--lease-intervals',
        '2',
        '--log-level',
        'info',
      ],
      env: { WGFLEET_ADMIN_PASSWORD: PASSWORD, WGFLEET_PANEL_POLL_INTERVAL: String(POLL_S) },
    });
  const readyz = async (m: Member) => {
    // Bounded: a paused (SIGSTOP) panel accepts the connection and never answers.
    const res = await fetch(`${m.proc.base}/readyz`, { signal: AbortSignal.timeout(1000) });
    return (await res.json()) as { status: string; panel: string; leases: number; jobs: boolean };
  };
  const holderOf = async (nodeId: number) => {
    const r = await db.query<{ panel_id: string; token: string; expires_at: Date }>(
      'select panel_id, token::text, expires_at from cluster_leases where resource = $1',
      [`node:${nodeId}`],
    );
    return r.rows[0];
  };
  /** The member whose process holds the node's lease now (by /readyz's panel id). */
  const memberHolding = async (nodeId: number): Promise<Member | undefined> => {
    const lease = await holderOf(nodeId);
    if (!lease || lease.expires_at.getTime() <= Date.now()) return undefined;
    for (const m of members)
      if (m.proc.running && (await readyz(m).catch(() => null))?.panel === lease.panel_id) return m;
    return undefined;
  };
  const metric = async (m: Member, name: string) => {
    const res = await fetch(`${m.proc.base}/metrics`, {
      headers: { cookie: session.cookie },
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    return text.split('\n').filter((l) => l.startsWith(name));
  };
  const peerRow = async (key: string) =>
    (
      await db.query<{ period_rx: string; period_tx: string; status: string }>(
        'select period_rx::text, period_tx::text, status from peers where public_key = $1',
        [key],
      )
    ).rows[0];

  async function connectClient(client: LabClient, node: number, name: string): Promise<string> {
    const keys = await client.keys();
    const [peer] = await session.api('POST', `/api/addPeers/${configs[node]}`, {
      name,
      public_key: keys.publicKey,
      private_key: keys.privateKey,
    });
    const download = await session.api(
      'GET',
      `/api/downloadPeer/${configs[node]}?id=${encodeURIComponent(peer.id)}`,
    );
    const { target, options } = connectionOf(download.file, lab.node(node + 1).tunnelSubnet);
    await client.connect(target, options);
    expect(await client.probe(lab.node(node + 1).tunnelIp(), { timeoutMs: 5000 })).toBe(true);
    return peer.id as string;
  }

  beforeAll(async () => {
    namespace = await postgres!.createNamespace();
    db = new pg.Client({ connectionString: namespace.url.split('?')[0] });
    await db.connect();
    const schema = new URL(namespace.url).searchParams.get('schema');
    await db.query(`set search_path to ${schema}`);
    rx = await startWebhookReceiver();
    lab = await Lab.create({ nodes: 2, clients: 3 });
    for (const i of [1, 2]) {
      ifs.push(await lab.node(i).createWgInterface());
      agents.push(await startNodeAgent(lab, lab.node(i), { extraArgs: ['--read-interval', '1'] }));
      await lab.node(i).startEcho();
    }
    for (let i = 0; i < 3; i++) {
      const dir = await mkdtemp(join(tmpdir(), `wgfleet-cluster-${i}-`));
      keyFile ||= join(dir, 'secret.key');
      // One after the other: the first makes the key file the others share.
      members.push({ dir, proc: await spawnPanel(dir) });
    }
    session = await PanelSession.signIn(members[0]!.proc.base, PASSWORD);
    for (const i of [1, 2]) {
      const added = await session.api('POST', '/api/addNode', {
        name: `cluster-node-${i}`,
        join: agents[i - 1]!.join.raw,
        public_host: lab.node(i).underlayIp,
      });
      configs.push(added.adopted[0].ConfigurationName as string);
      nodeIds.push(added.id as number);
    }
    const template = (await session.api('GET', '/api/webHooks/createWebHook')) as {
      WebHookID: string;
    };
    await session.api('POST', '/api/webHooks/updateWebHook', {
      ...template,
      PayloadURL: rx.url,
      SubscribedActions: ['peer_restricted', 'peer_traffic_exceeded', 'peer_created'],
    });
  }, 240_000);

  afterAll(async () => {
    for (const m of members) await m.proc.stop().catch(() => undefined);
    await lab?.destroy();
    await rx?.close();
    await db?.end();
    await namespace?.drop();
    for (const m of members) await rm(m.dir, { recursive: true, force: true });
  });

  it('shares the two nodes between the panels, each held once', async () => {
    const held = await waitFor(
      'both nodes leased, by two panels',
      async () => {
        const states = await Promise.all(members.map(readyz));
        const total = states.reduce((n, s) => n + s.leases, 0);
        return total === 2 && states.every((s) => s.leases <= 1) ? states : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(held.filter((s) => s.jobs)).toHaveLength(1);
    expect(held.every((s) => s.status === 'ok')).toBe(true);
    for (const id of nodeIds) expect(await memberHolding(id)).toBeDefined();
  });

  it('SIGKILL the holder: another takes the node, usage equals WireGuard, the quota cut comes once', async () => {
    const [counted, limited] = [lab.client(1), lab.client(2)];
    const countedKey = await connectClient(counted, 0, 'counted');
    const limitedKey = await connectClient(limited, 0, 'limited');
    await connectClient(lab.client(3), 1, 'other node');
    await session.api('POST', `/api/updatePeerTrafficLimit/${configs[0]}`, {
      id: limitedKey,
      traffic_limit: LIMIT,
    });
    await counted.sendUdp(lab.node(1).tunnelIp(), 9, 300_000);
    const holder = await waitFor('the holder of node 1', () => memberHolding(nodeIds[0]!), {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    const before = await holderOf(nodeIds[0]!);
    // Wait for the holder to have counted something, so the handover is in the middle of use.
    await waitFor(
      'the first bytes counted',
      async () => (BigInt((await peerRow(countedKey))!.period_rx) > 0n ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    const countedAtKill = BigInt((await peerRow(countedKey))!.period_rx);
    await holder.proc.kill();
    // During the handover: more traffic, and the limited peer crosses its limit.
    const sending = counted.sendUdp(lab.node(1).tunnelIp(), 9, 400_000);
    await limited.sendUdp(lab.node(1).tunnelIp(), 9, 1.5 * LIMIT);
    await sending;
    const taker = await waitFor(
      'another panel holding node 1',
      async () => {
        const m = await memberHolding(nodeIds[0]!);
        return m && m !== holder ? m : undefined;
      },
      { timeoutMs: TAKEOVER_MS, intervalMs: 100 },
    );
    const after = await holderOf(nodeIds[0]!);
    expect(BigInt(after!.token)).toBeGreaterThan(BigInt(before!.token));
    expect((await metric(taker, 'wgfleet_panel_node_lease{')).join('\n')).toContain(
      'node="cluster-node-1"} 1',
    );
    // The limited peer is cut (by the new holder, or by the node itself while nobody polled).
    await waitFor(
      'the limited peer restricted and off WireGuard',
      async () => {
        const row = await peerRow(limitedKey);
        const onNode = (await wgDump(lab.node(1).ns, ifs[0]!.name)).peers.some(
          (p) => p.public_key === limitedKey,
        );
        return row?.status === 'restricted' && !onNode ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    // Every byte WireGuard counted for the other peer is counted once: equal, not more.
    let last = '';
    const equal = await waitFor(
      'the ledger equal to WireGuard’s counters',
      async () => {
        const p = (await wgDump(lab.node(1).ns, ifs[0]!.name)).peers.find(
          (x) => x.public_key === countedKey,
        );
        const row = await peerRow(countedKey);
        if (!p || !row) return undefined;
        const now = `${p.transfer_rx}/${p.transfer_tx}`;
        const stable = now === last;
        last = now;
        const same =
          row.period_rx === String(p.transfer_rx) && row.period_tx === String(p.transfer_tx);
        return stable && same ? { p, row } : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    // …and the traffic sent after the kill was counted too (by the new holder).
    expect(BigInt(equal.row.period_rx)).toBeGreaterThan(countedAtKill);
    // One restriction event, one traffic-exceeded event, and each delivery once.
    const events = await db.query<{ type: string; n: string }>(
      `select e.type, count(*)::text as n from peer_events e join peers p on p.id = e.peer_id
        where p.public_key = $1 group by e.type`,
      [limitedKey],
    );
    const byType = Object.fromEntries(events.rows.map((r) => [r.type, Number(r.n)]));
    expect(byType.restricted).toBe(1);
    // The killed panel comes back as a new member (a new id); it takes back at once the
    // deliveries it had claimed (same data folder), the others would after their claim ran out.
    holder.proc = await spawnPanel(holder.dir);
    await waitFor(
      'the webhook deliveries of the cut',
      async () => {
        const rows = await db.query<{ status: number }>(
          'select status from notification_deliveries',
        );
        return rows.rows.length > 0 && rows.rows.every((r) => r.status === 0) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const perEvent = new Map<string, number>();
    for (const r of rx.requests) {
      const id = (JSON.parse(r.body) as { event_id: string }).event_id;
      perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    }
    expect(perEvent.size).toBeGreaterThan(0);
    expect([...perEvent.values()].filter((n) => n !== 1)).toEqual([]);
  }, 120_000);

  it('SIGSTOP a panel in a poll past its lease, SIGCONT: its late writes are refused', async () => {
    const node = nodeIds[1]!;
    const paused = await waitFor('the holder of node 2', () => memberHolding(node), {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    const pausedLease = await holderOf(node);
    const agentPid = agents[1]!.process.pid;
    // The node stops answering: the holder's next poll waits for it, in the middle of a poll.
    process.kill(agentPid, 'SIGSTOP');
    let resumedAgent = false;
    let resumedPanel = false;
    const pid = paused.proc.pid;
    try {
      await sleep(1500);
      process.kill(pid, 'SIGSTOP');
      const taker = await waitFor(
        'another panel holding node 2',
        async () => {
          const m = await memberHolding(node);
          return m && m !== paused ? m : undefined;
        },
        { timeoutMs: TAKEOVER_MS + 2000, intervalMs: 100 },
      );
      process.kill(agentPid, 'SIGCONT');
      resumedAgent = true;
      const seen = await db.query<{ last_seen_at: Date }>(
        'select last_seen_at from nodes where id = $1',
        [node],
      );
      await waitFor(
        'the new holder polling node 2',
        async () => {
          const r = await db.query<{ status: string; last_seen_at: Date }>(
            'select status, last_seen_at from nodes where id = $1',
            [node],
          );
          const row = r.rows[0]!;
          return row.status === 'online' && row.last_seen_at > seen.rows[0]!.last_seen_at
            ? true
            : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      process.kill(pid, 'SIGCONT');
      resumedPanel = true;
      await waitFor(
        'the paused panel’s late write refused',
        async () => {
          const lines = await metric(paused, 'wgfleet_panel_fenced_writes_refused_total');
          const n = Number(lines[0]?.split(' ')[1] ?? 0);
          return n >= 1 ? n : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(paused.proc.output()).toContain('write refused: the lease was lost');
      // The database kept the new holder's view: the paused panel's token is history (the node
      // may since have gone back to it by the share-out, under a newer token), the node online.
      expect(taker).not.toBe(paused);
      expect(BigInt((await holderOf(node))!.token)).toBeGreaterThan(BigInt(pausedLease!.token));
      await sleep(2 * POLL_S * 1000);
      const r = await db.query<{ status: string }>('select status from nodes where id = $1', [
        node,
      ]);
      expect(r.rows[0]!.status).toBe('online');
    } finally {
      if (!resumedAgent) process.kill(agentPid, 'SIGCONT');
      if (!resumedPanel) process.kill(pid, 'SIGCONT');
    }
  }, 90_000);

  it('a rolling restart under requests every 100 ms: none fails after one retry', async () => {
    const cookie = { cookie: session.cookie };
    let stop = false;
    let sent = 0;
    let firstTryFailed = 0;
    const failed: string[] = [];
    let turn = 0;
    const once = async (m: Member) => {
      const res = await fetch(`${m.proc.base}/api/getWireguardConfigurations`, {
        headers: cookie,
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const load = (async () => {
      while (!stop && sent < 2000) {
        sent++;
        const first = members[turn++ % members.length]!;
        const second = members[turn % members.length]!;
        const a = await once(first).catch((e: unknown) => String(e));
        if (a !== 200) {
          firstTryFailed++;
          const b = await once(second).catch((e: unknown) => String(e));
          if (b !== 200) failed.push(`${String(a)} then ${String(b)}`);
        }
        await sleep(100);
      }
    })();
    try {
      for (const m of members) {
        // SIGTERM: a clean exit (a member an earlier test left dead is started again).
        if (m.proc.running) expect(await m.proc.stop()).toBe(0);
        m.proc = await spawnPanel(m.dir);
        await sleep(2 * POLL_S * 1000);
      }
    } finally {
      stop = true;
      await load;
    }
    expect(sent).toBeGreaterThan(30);
    expect(failed).toEqual([]);
    // The nodes are held again after the restart, each once.
    await waitFor(
      'both nodes leased again',
      async () => {
        const states = await Promise.all(members.map(readyz));
        return states.reduce((n, s) => n + s.leases, 0) === 2 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    console.info(`rolling restart: ${sent} requests, ${firstTryFailed} needed a retry`);
  }, 180_000);
});
