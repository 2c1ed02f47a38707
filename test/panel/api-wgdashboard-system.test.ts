import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { SystemStatusJson } from '../../src/shared/wire/panel/wgdashboard.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel } from './support/panel-under-test.js';

// One dialect: the answer comes from the node's agent, not from the database.
const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('systemStatus: a node’s host, from its agent, in WGDashboard 4.3’s shape', () => {
  const get = usePanel(sqlite);
  let a: FakeAgent;
  let b: FakeAgent;
  beforeAll(async () => {
    a = await FakeAgent.start();
    b = await FakeAgent.start();
  });
  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
  });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });

  it('answers the only node without a name; with several, the one named', async () => {
    expect((await fetch('/api/systemStatus')).statusCode).toBe(404);
    expect((await post('/api/addNode', { name: 'alpha', join: a.join })).statusCode).toBe(200);
    const one = await fetch('/api/systemStatus');
    expect(one.statusCode, one.body).toBe(200);
    const data = one.json().data;
    expect(Value.Check(SystemStatusJson, data)).toBe(true);
    // 4.3's keys, as its web UI and scripts read them (SystemStatus.py).
    expect(Object.keys(data).sort()).toEqual(
      [
        'CPU',
        'Disks',
        'Memory',
        'NetworkInterfaces',
        'NetworkInterfacesPriority',
        'Node',
        'Processes',
      ].sort(),
    );
    expect(data.Memory.VirtualMemory.total).toBeGreaterThan(0);
    expect(data.Disks.some((d: { mountPoint: string }) => d.mountPoint === '/')).toBe(true);
    expect(data.NetworkInterfaces.lo).toMatchObject({ realtime: { sent: 0, recv: 0 } });
    expect(data.Node.name).toBe('alpha');
    // A second read has rates over the time since the first.
    const again = (await fetch('/api/systemStatus')).json().data;
    expect(again.NetworkInterfaces.lo.realtime.sent).toBeGreaterThanOrEqual(0);

    expect((await post('/api/addNode', { name: 'beta', join: b.join })).statusCode).toBe(200);
    const which = await fetch('/api/systemStatus');
    expect(which.statusCode).toBe(400);
    expect(which.json()).toMatchObject({ status: false, subject: 'node' });
    expect(which.json().message).toContain('alpha, beta');
    expect((await fetch('/api/systemStatus?node=beta')).json().data.Node.name).toBe('beta');
    expect((await fetch('/api/systemStatus?node=gamma')).statusCode).toBe(404);

    await b.stop();
    const down = await fetch('/api/systemStatus?node=beta');
    expect(down.statusCode).toBe(502);
    expect(down.json().message).toMatch(/^node "beta" is unavailable/);
  });
});
