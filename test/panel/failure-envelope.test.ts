import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

describe('the failure envelope names the field at fault (`subject`)', () => {
  const get = usePanel(sqlite);
  const post = async (url: string, payload: string | object) => {
    const { panel, headers } = get();
    const res = await panel.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload,
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };

  it('for a schema violation, a use case refusal, a conflict and an unreadable body', async () => {
    expect(await post('/api/addNode', { join: 'x' })).toEqual({
      status: 400,
      body: { status: false, message: 'name: is required', data: null, subject: 'name' },
    });
    expect(await post('/api/newDashboardAPIKey', { neverExpire: false })).toMatchObject({
      status: 400,
      body: { status: false, subject: 'ExpiredAt' },
    });
    const unit = await post('/api/addWireguardConfiguration', {
      ConfigurationName: 'wg-x',
      Address: '10.1.0.1/24',
      ListenPort: 51820,
      PreUp: 'echo',
    });
    expect(unit).toMatchObject({ status: 400, body: { subject: 'PreUp' } });
    expect(await post('/api/addNode', '{"name": ')).toMatchObject({
      status: 400,
      body: { status: false, subject: 'body' },
    });
  });

  it('answers a path part too long for the router as an envelope (414)', async () => {
    const res = await post(`/api/deletePeers/${'c'.repeat(300)}`, { peers: ['x'] });
    expect(res).toEqual({
      status: 414,
      body: { status: false, message: 'path: a part is too long', data: null, subject: 'path' },
    });
  });

  it('is absent when no field is at fault', async () => {
    const { panel, headers } = get();
    const res = await panel.app.inject({
      url: '/api/getWireguardConfigurationInfo?configurationName=nope',
      headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ status: false, message: expect.any(String), data: null });
  });
});
