// A configuration whose interface is deleted on the node outside the panel (issue 9, item 6) on
// real WireGuard: the configuration says InterfaceStatus "missing" (quotas on it reported as not
// enforceable), one interface_missing event is listed for it, the metric says 0; once the
// interface is back: "up", one interface_back event, the metric 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from '../panel/support/panel-under-test.js';
import {
  Lab,
  generateKeyPair,
  startNodeAgent,
  waitFor,
  type NodeAgent,
  type WgInterface,
  type WgKeyPair,
} from '../lab/index.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('SQLite is always under test');

describe('an interface deleted on the node outside the panel', () => {
  const get = usePanel(sqlite, { start: true, realClock: true, config: { pollIntervalMs: 500 } });
  let lab: Lab;
  let iface: WgInterface;
  let keys: WgKeyPair;
  let agent: NodeAgent;
  let name = '';

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 0 });
    keys = await generateKeyPair();
    iface = await lab.node(1).createWgInterface({ keys });
    agent = await startNodeAgent(lab, lab.node(1));
  });
  afterAll(() => lab?.destroy());

  const api = async (url: string, method: 'GET' | 'POST' = 'GET', payload?: object) => {
    const res = await get().panel.app.inject({ method, url, headers: get().headers, payload });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res;
  };
  type ConfigJson = {
    Name: string;
    Status: boolean;
    InterfaceStatus: string;
    QuotasEnforceable: boolean;
  };
  const config = async () =>
    ((await api('/api/getWireguardConfigurations')).json().data as ConfigJson[]).find(
      (c) => c.Name === name,
    );
  const statusBecomes = (status: string) =>
    waitFor(
      `InterfaceStatus ${status}`,
      async () => {
        const c = await config();
        return c?.InterfaceStatus === status ? c : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  const events = async (type: string) =>
    (await api(`/api/getPeerEvents?configurationName=${name}&type=${type}`)).json().data.events as {
      type: string;
      message: string;
      peer_id: string | null;
    }[];
  const gauge = async () => {
    const text = (await api('/metrics')).body;
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`wgfleet_configuration_interface_up{configuration="${name}"}`));
    return line?.split(' ').at(-1);
  };
  const gaugeBecomes = (value: string) =>
    waitFor(`the gauge at ${value}`, async () => ((await gauge()) === value ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
  /** Polls of the node so far (the poll counter of /metrics). */
  const polls = async () => {
    const text = (await api('/metrics')).body;
    const lines = text.split('\n').filter((l) => l.startsWith('wgfleet_panel_node_polls_total{'));
    return lines.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  };
  /** Waits (bounded) until the poller has polled the node `n` more times. */
  const morePolls = async (n: number) => {
    const start = await polls();
    await waitFor('more polls', async () => ((await polls()) >= start + n ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
  };

  it('says missing with one interface_missing event, then up with one interface_back', async () => {
    const added = await api('/api/addNode', 'POST', { name: 'n1', join: agent.join.raw });
    name = added.json().data.adopted[0].ConfigurationName as string;
    await gaugeBecomes('1'); // polled: the interface is there
    expect(await config()).toMatchObject({
      Status: true,
      InterfaceStatus: 'up',
      QuotasEnforceable: true,
    });

    await iface.destroy(); // `ip link del` on the node: the panel is not asked
    const missing = await statusBecomes('missing');
    expect(missing).toMatchObject({ Status: true, QuotasEnforceable: false });
    await morePolls(3); // still missing on later polls: no second event
    const gone = await events('interface_missing');
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatchObject({ peer_id: null });
    expect(gone[0]?.message).toMatch(/is missing: .*quotas on it cannot be enforced/);
    expect(await gauge()).toBe('0');

    iface = await lab.node(1).createWgInterface({ keys }); // the same interface again
    expect(await statusBecomes('up')).toMatchObject({ QuotasEnforceable: true });
    await morePolls(3);
    expect(await events('interface_back')).toHaveLength(1);
    expect(await events('interface_missing')).toHaveLength(1);
    expect(await gauge()).toBe('1');
  });
});
