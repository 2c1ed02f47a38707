// The compact dump on real WireGuard (issue 19): the panel asks its agent for the tab-separated
// form, the agent answers it for the panel's Accept header (JSON stays the default for anyone
// else), it carries what the JSON carries, and the panel's ledger ingests it: after real traffic
// the peer's stored raw counters and totals are the node's, and its usage is what WireGuard counted.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMP_ACCEPT } from '../../src/panel/adapters/agent-client/agent-client.js';
import { AgentAnswers } from '../../src/panel/adapters/agent-client/agent-answers.js';
import { createAgentClients } from '../../src/panel/adapters/agent-client/agent-clients.js';
import { createUserStore } from '../../src/panel/adapters/db/repos/auth-store.js';
import {
  createAesGcmCipher,
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
} from '../../src/panel/adapters/db/index.js';
import { bootstrapAdmin } from '../../src/panel/app/auth/bootstrap-admin.js';
import { composePanel, type ComposedPanel } from '../../src/panel/compose.js';
import { resolvePanelConfig } from '../../src/panel/config.js';
import type { PanelContext } from '../../src/panel/context.js';
import { DUMP_TSV_TYPE } from '../../src/shared/wire/dump-tsv.js';
import { DIALECTS_UNDER_TEST, type TestNamespace } from '../db/support/dialects-under-test.js';
import { ADMIN } from '../panel/support/panel-under-test.js';
import { Lab, connectionOf, seg, startNodeAgent, waitFor, type NodeAgent } from '../lab/index.js';

interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('SQLite is always under test');

const SUBNET = '10.202.1.0/24';
const NODE_IP = '10.202.1.1';
const PORT = 51831;
const SINK = 9; // UDP discard: the node counts what arrives

describe('the panel polls its agent with the compact dump', () => {
  let namespace: TestNamespace;
  let lab: Lab;
  let agent: NodeAgent;
  let database: DatabaseHandle;
  let ctx: PanelContext;
  let panel: ComposedPanel;
  let headers: Record<string, string> = {};
  let configName = '';

  const api = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const res = await panel.app.inject({ method, url, payload, headers });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json() as Answer;
  };

  beforeAll(async () => {
    namespace = await sqlite.createNamespace();
    database = openDatabase(namespace.url, { secrets: createAesGcmCipher(randomBytes(32)) });
    await migrateToLatest(database);
    await bootstrapAdmin(createUserStore(database), ADMIN);
    lab = await Lab.create({ nodes: 1, clients: 1 });
    agent = await startNodeAgent(lab, lab.node(1));
    await lab.node(1).startEcho();
    const config = {
      ...resolvePanelConfig(
        {
          listen: '127.0.0.1:0',
          dataDir: '/tmp',
          pollInterval: '1',
          pollConcurrency: '4',
          sessionTtl: '1',
          logLevel: 'silent',
        },
        {},
      ),
      databaseUrl: namespace.url,
    };
    ctx = {
      config,
      database,
      logger: pino({ level: process.env.WGFLEET_TEST_LOG ?? 'silent' }),
      now: () => new Date(),
      agents: createAgentClients(5_000),
      metrics: new Registry(),
    };
    panel = await composePanel(ctx, 'test');
    panel.start();
    const signIn = await panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: ADMIN,
    });
    const cookie = signIn.cookies.find((c) => c.name === 'wgfleet_session');
    const created = await panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      cookies: { wgfleet_session: cookie?.value ?? '' },
      payload: { neverExpire: true },
    });
    headers = { 'wg-dashboard-apikey': (created.json() as Answer).data.Key as string };
    await api('POST', '/api/addNode', {
      name: 'tsv-node',
      join: agent.join.raw,
      public_host: lab.node(1).underlayIp,
    });
    configName = lab.node(1).ifName('t');
    await api('POST', '/api/addWireguardConfiguration', {
      ConfigurationName: configName,
      Address: `${NODE_IP}/24`,
      ListenPort: PORT,
      node: 'tsv-node',
    });
  });
  afterAll(async () => {
    await panel?.stop();
    await panel?.app.close();
    await ctx?.agents.closeAll();
    await database?.close();
    await lab?.destroy();
    await namespace?.drop();
  });

  it('counts real traffic from the compact dump exactly as the node counted it', async () => {
    const client = lab.client(1);
    const keys = await client.keys();
    const [peer] = (
      await api('POST', `/api/addPeers/${configName}`, {
        name: 'tsv client',
        public_key: keys.publicKey,
        private_key: keys.privateKey,
      })
    ).data;
    const key = peer.id as string;
    const download = await api('GET', `/api/downloadPeer/${configName}?id=${seg(key)}`);
    const { target, options } = connectionOf(download.data.file, SUBNET);
    await client.connect(target, options);
    expect(await client.probe(NODE_IP, { timeoutMs: 5000 })).toBe(true);
    const N = 250_000;
    expect((await client.sendUdp(NODE_IP, SINK, N)).bytes).toBe(N);

    // The agent answers the panel's Accept with the compact form, and JSON to anyone else.
    const path = `/v1/wg/${seg(configName)}/dump`;
    const json = await agent.client.dump(configName);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const tsv = await agent.client.request('GET', path, { headers: { accept: DUMP_ACCEPT } });
    expect(tsv.status, tsv.text).toBe(200);
    expect(tsv.headers['content-type']).toBe(`${DUMP_TSV_TYPE}; charset=utf-8`);
    const compact = AgentAnswers.dumpTsv(`GET ${path}`, tsv.text);
    expect(compact.interface).toEqual(json.body.interface);
    expect(compact.peers.map((p) => p.public_key)).toEqual(
      json.body.peers.map((p) => p.public_key),
    );
    expect(tsv.text.length).toBeLessThan(json.text.length);

    // The panel's ledger catches up with the node: its last raw counters and totals are the node's.
    let last = '';
    let stableSince = Date.now();
    const row = await waitFor(
      'the panel to ingest the node’s counters',
      async () => {
        const node = (await agent.client.dump(configName)).body.peers.find(
          (p) => p.public_key === key,
        );
        const r = await database.db
          .selectFrom('peers')
          .selectAll()
          .where('public_key', '=', key)
          .executeTakeFirstOrThrow();
        if (!node || node.transfer_rx < N) return undefined;
        // Totals are the agent's latest reading (at most a read interval, 1 s, old).
        const now = `${node.transfer_rx}/${node.transfer_tx}`;
        if (now !== last) stableSince = Date.now();
        last = now;
        if (Date.now() - stableSince < 1_300) return undefined;
        if (
          r.last_raw_rx !== BigInt(node.transfer_rx) ||
          r.last_raw_tx !== BigInt(node.transfer_tx)
        )
          return undefined;
        if (node.total_rx !== undefined && r.last_total_rx !== BigInt(node.total_rx))
          return undefined;
        return { r, node };
      },
      { timeoutMs: 20_000, intervalMs: 300 },
    );
    // A peer the panel created counts from zero: everything the node counted is usage.
    expect(row.r.period_rx).toBe(BigInt(row.node.transfer_rx));
    expect(row.r.period_tx).toBe(BigInt(row.node.transfer_tx));
    expect(row.r.period_rx).toBeGreaterThanOrEqual(BigInt(N));
  });
});
