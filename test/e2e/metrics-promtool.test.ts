// Prometheus can scrape both processes: the panel's /metrics with `Authorization: Bearer <api
// key>` (what a scrape job's `authorization` sends), the agent's /v1/metrics with its token, and
// `promtool check metrics` (Debian's prometheus package) accepts both expositions as they are
// served by a real agent on real WireGuard and a panel polling it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';
import { Lab, exec, startNodeAgent, waitFor, type NodeAgent } from '../lab/index.js';
import { ExecError } from '../lab/exec.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('SQLite is always under test');

/** promtool's complaints about an exposition; '' when it passes. */
async function promtoolCheck(exposition: string): Promise<string> {
  try {
    await exec('promtool', ['check', 'metrics'], { input: exposition });
    return '';
  } catch (e) {
    if (e instanceof ExecError && e.code !== 'ENOENT') return `${e.stdout}${e.stderr}`;
    throw e;
  }
}

describe('Prometheus scrapes of panel and agent', () => {
  const get = usePanel(sqlite, { start: true, realClock: true, config: { pollIntervalMs: 1000 } });
  let lab: Lab;
  let agent: NodeAgent;
  let base = '';

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 1 });
    const iface = await lab.node(1).createWgInterface();
    agent = await startNodeAgent(lab, lab.node(1));
    const { publicKey } = await lab.client(1).keys();
    const put = await agent.client.putPeer(iface.name, publicKey, {
      allowed_ips: [lab.client(1).addressIn(lab.node(1).tunnelSubnet)],
    });
    expect(put.status, put.text).toBe(200);
    base = await get().panel.app.listen({ host: '127.0.0.1', port: 0 });
    const added = await fetch(`${base}/api/addNode`, {
      method: 'POST',
      headers: { ...get().headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'scraped', join: agent.join.raw }),
    });
    expect(added.status, await added.text()).toBe(200);
  });
  afterAll(() => lab?.destroy());

  const scrapePanel = (headers: Record<string, string>) =>
    fetch(`${base}/metrics`, { headers: { accept: 'text/plain', ...headers } });

  it('accepts the API key as a bearer token on /metrics, and refuses a wrong one', async () => {
    const ok = await scrapePanel({ authorization: `Bearer ${get().apiKey}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('wgfleet_restricted_peers');
    expect((await scrapePanel({ authorization: 'Bearer wgf_wrong' })).status).toBe(401);
    expect((await scrapePanel({})).status).toBe(401);
  });

  it("passes promtool with the panel's exposition, poll and peer series included", async () => {
    const text = await waitFor(
      'the node polled and its peer imported',
      async () => {
        const res = await scrapePanel({ authorization: `Bearer ${get().apiKey}` });
        const body = await res.text();
        return /wgfleet_panel_node_up\{node="scraped"\} 1/.test(body) &&
          body.includes('wgfleet_peer_usage_bytes{')
          ? body
          : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(await promtoolCheck(text)).toBe('');
  });

  it("passes promtool with the agent's exposition, keeping the exporter's peer series", async () => {
    const res = await agent.client.metrics();
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^wireguard_sent_bytes_total\{interface="[^"]+",public_key="/m);
    expect(res.text).toMatch(/^# TYPE wireguard_received_bytes_total counter$/m);
    expect(res.text).toContain('wireguard_latest_handshake_seconds{');
    expect(await promtoolCheck(res.text)).toBe('');
  });
});
