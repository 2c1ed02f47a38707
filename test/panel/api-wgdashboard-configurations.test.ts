import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel } from './support/panel-under-test.js';

describe.each(DIALECTS_UNDER_TEST)(
  'WGDashboard 4.3 updateWireguardConfiguration / renameWireguardConfiguration ($name)',
  (dialect) => {
    const get = usePanel(dialect);
    let agent: FakeAgent;
    beforeAll(async () => {
      agent = await FakeAgent.start();
    });
    afterAll(() => agent?.destroy());
    const post = (url: string, payload: object) =>
      get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
    const confText = () => readFile(agent.confPath('wgu0'), 'utf8');

    it('changes Address, ListenPort and MTU on the node and in the panel', async () => {
      expect((await post('/api/addNode', { name: 'n1', join: agent.join })).statusCode).toBe(200);
      const made = await post('/api/addWireguardConfiguration', {
        ConfigurationName: 'wgu0',
        Address: '10.31.0.1/24',
        ListenPort: 51931,
      });
      expect(made.statusCode, made.body).toBe(200);
      await post('/api/addWireguardConfiguration', {
        ConfigurationName: 'wgu1',
        Address: '10.32.0.1/24',
        ListenPort: 51932,
      });
      // The body 4.3's web UI sends: the whole configuration, ListenPort as a string.
      const res = await post('/api/updateWireguardConfiguration', {
        ...made.json().data,
        Name: 'wgu0',
        Address: '10.31.0.1/24, fd31::1/64',
        ListenPort: '51933',
        PreUp: '',
        PreDown: '',
        PostUp: '',
        PostDown: '',
        Table: '',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({
        Name: 'wgu0',
        Address: '10.31.0.1/24, fd31::1/64',
        ListenPort: '51933',
      });
      expect(await confText()).toMatch(/^Address = 10\.31\.0\.1\/24, fd31::1\/64$/m);
      expect(await confText()).toMatch(/^ListenPort = 51933$/m);
      expect(agent.wg.ifaces.get('wgu0')?.listenPort).toBe(51933);
      const mtu = await post('/api/updateWireguardConfiguration', { Name: 'wgu0', MTU: 1380 });
      expect(mtu.json().data.MTU).toBe(1380);
    });

    it('refuses what it cannot do, changing nothing', async () => {
      const before = await confText();
      const refused = async (body: object, status: number, subject?: string) => {
        const r = await post('/api/updateWireguardConfiguration', body);
        expect(r.statusCode, r.body).toBe(status);
        expect(r.json()).toMatchObject({ status: false, data: null, ...(subject && { subject }) });
        return r.json().message as string;
      };
      expect(await refused({ Name: 'nope' }, 404)).toBe('configuration "nope" not found');
      expect(await refused({ Name: 'wgu0', ListenPort: 51932 }, 409, 'ListenPort')).toContain(
        'Already have a configuration with the port "51932"',
      );
      await refused({ Name: 'wgu0', Address: '10.31.0.1' }, 400, 'Address');
      await refused({ Name: 'wgu0', PreUp: 'echo hi' }, 400, 'PreUp');
      expect(await refused({ Name: 'wgu0', PostUp: 'echo hi' }, 403)).toMatch(/--allow-hooks/);
      expect(await confText()).toBe(before);
    });

    it('renames in the panel; the interface keeps its name', async () => {
      const r = await post('/api/renameWireguardConfiguration', {
        ConfigurationName: 'wgu0',
        NewConfigurationName: 'office',
      });
      expect(r.json()).toEqual({ status: true, message: null, data: null });
      const list = await get().panel.app.inject({
        url: '/api/getWireguardConfigurations',
        headers: get().headers,
      });
      const names = list
        .json()
        .data.map((c: { Name: string; Interface: string }) => [c.Name, c.Interface]);
      expect(names).toContainEqual(['office', 'wgu0']);
      const taken = await post('/api/renameWireguardConfiguration', {
        ConfigurationName: 'office',
        NewConfigurationName: 'wgu1',
      });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().message).toContain('Configuration name already exist');
      const gone = await post('/api/renameWireguardConfiguration', {
        ConfigurationName: 'wgu0',
        NewConfigurationName: 'x',
      });
      expect(gone.statusCode).toBe(404);
      const bad = await post('/api/renameWireguardConfiguration', {
        ConfigurationName: 'office',
        NewConfigurationName: 'a b',
      });
      expect(bad.json()).toMatchObject({ subject: 'NewConfigurationName' });
    });
  },
);
