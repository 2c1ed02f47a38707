import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { seedConfiguration } from './support/peer-fixtures.js';
import { usePanel } from './support/panel-under-test.js';

/** WGDashboard 4.3's peer jobs, replayed with the bodies its web UI sends (peerJobs.vue). */
describe.each(DIALECTS_UNDER_TEST)('WGDashboard 4.3 peer jobs ($name)', (dialect) => {
  const get = usePanel(dialect);
  const post = (url: string, payload: object) =>
    get().panel.app.inject({ method: 'POST', url, headers: get().headers, payload });
  const fetch = (url: string) => get().panel.app.inject({ url, headers: get().headers });
  const job = (c: string, peer: string, over: object = {}) => ({
    Job: {
      JobID: '8f1d3c52-7a0e-4a57-9b53-2f4c1f6d0c11',
      Configuration: c,
      Peer: peer,
      Field: 'total_data',
      Operator: 'lgt',
      Value: '5',
      CreationDate: '',
      ExpireDate: '',
      Action: 'restrict',
      ...over,
    },
  });
  const peerJson = async (c: string, id: string) => {
    const info = (await fetch(`/api/getWireguardConfigurationInfo?configurationName=${c}`)).json()
      .data;
    return [...info.configurationPeers, ...info.configurationRestrictedPeers].find(
      (p: { id: string }) => p.id === id,
    );
  };

  it('total_data lgt X → restrict is the traffic limit, date lgt D → restrict the expiry: one truth', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, { name: 'job peer' })).json().data;
    const saved = await post('/api/savePeerScheduleJob', job(c.name, peer.id));
    expect(saved.statusCode, saved.body).toBe(200);
    const expected = {
      JobID: `traffic_limit-${peer.id}`,
      Configuration: c.name,
      Peer: peer.id,
      Field: 'total_data',
      Operator: 'lgt',
      Value: '5',
      ExpireDate: null,
      Action: 'restrict',
    };
    expect(saved.json()).toMatchObject({ status: true, data: [expected] });
    expect(saved.json().data[0].CreationDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await peerJson(c.name, peer.id)).traffic_limit).toBe(5 * 2 ** 30);

    // Changed from the other side: the job shows the new limit.
    await post(`/api/updatePeerTrafficLimit/${c.name}`, { id: peer.id, traffic_limit: '1GiB' });
    expect((await peerJson(c.name, peer.id)).jobs).toMatchObject([{ ...expected, Value: '1' }]);
    await post('/api/savePeerScheduleJob', job(c.name, peer.id, { Value: '0.5' }));
    expect((await peerJson(c.name, peer.id)).traffic_limit).toBe(2 ** 29);

    const dated = await post(
      '/api/savePeerScheduleJob',
      job(c.name, peer.id, { Field: 'date', Value: '2027-01-02 03:04:05', JobID: 'x' }),
    );
    expect(dated.json().data[0]).toMatchObject({
      JobID: `expiry_date-${peer.id}`,
      Field: 'date',
      Value: '2027-01-02 03:04:05',
    });
    const now = await peerJson(c.name, peer.id);
    expect(now.expiry_date).toBe('2027-01-02T03:04:05.000Z');
    expect(now.jobs.map((j: { Field: string }) => j.Field)).toEqual(['total_data', 'date']);

    const removed = await post('/api/deletePeerScheduleJob', {
      Job: { ...dated.json().data[0] },
    });
    expect(removed.json()).toEqual({ status: true, message: null, data: null });
    expect((await peerJson(c.name, peer.id)).expiry_date).toBeNull();
    const again = await post('/api/deletePeerScheduleJob', { Job: { ...dated.json().data[0] } });
    expect(again.statusCode).toBe(404);

    const logs = (await fetch(`/api/getPeerScheduleJobLogs/${c.name}`)).json();
    expect(logs.status).toBe(true);
    expect(logs.data.map((l: { Message: string }) => l.Message)).toEqual([
      'Job is created if total_data lgt 5 then restrict',
      'Job is updated from if total_data lgt 1 then restrict; to if total_data lgt 0.5 then restrict',
      'Job is created if date lgt 2027-01-02 03:04:05 then restrict',
      'Job is removed due to being deleted or finshed.',
    ]);
    expect(logs.data[0]).toMatchObject({ JobID: `traffic_limit-${peer.id}`, Status: 'true' });
    expect(Object.keys(logs.data[0]).sort()).toEqual([
      'JobID',
      'LogDate',
      'LogID',
      'Message',
      'Status',
    ]);
  });

  it('a job over the usage cuts the peer at once; the log says so in 4.3’s words', async () => {
    const { database } = get();
    const c = await seedConfiguration(database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, { name: 'heavy' })).json().data;
    await database.db
      .updateTable('peers')
      .set({ period_rx: 3n * 2n ** 20n })
      .where('public_key', '=', peer.id)
      .execute();
    const saved = await post('/api/savePeerScheduleJob', job(c.name, peer.id, { Value: '0.001' }));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await peerJson(c.name, peer.id)).toMatchObject({
      status: 'restricted',
      restriction_reason: 'traffic_limit',
    });
    const messages = (await fetch(`/api/getPeerScheduleJobLogs/${c.name}`))
      .json()
      .data.map((l: { Message: string }) => l.Message);
    expect(messages).toContain(`Peer ${peer.id} from ${c.name} is successfully restricted.`);
  });

  it('refuses what it does not run, naming the field; unknown peers and configurations are 404', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, {})).json().data;
    const refuse = async (body: object, status: number, subject?: string) => {
      const r = await post('/api/savePeerScheduleJob', body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json()).toMatchObject({ status: false, ...(subject && { subject }) });
      return r.json().message as string;
    };
    await refuse(job(c.name, peer.id, { Action: 'ban' }), 400, 'Job.Action');
    await refuse(job(c.name, peer.id, { Field: 'rx' }), 400, 'Job.Field');
    await refuse(job(c.name, peer.id, { Operator: 'gt' }), 400, 'Job.Operator');
    await refuse(job(c.name, peer.id, { Field: 'total_sent', Value: 'lots' }), 400, 'Job.Value');
    await refuse(job(c.name, peer.id, { Value: 'lots' }), 400, 'Job.Value');
    await refuse(job(c.name, peer.id, { Field: 'date', Value: 'soon' }), 400, 'Job.Value');
    await refuse(job('nope', peer.id), 404);
    await refuse({ Job: { Configuration: c.name } }, 400);
    expect((await peerJson(c.name, peer.id)).traffic_limit).toBeNull();
    expect((await fetch('/api/getPeerScheduleJobLogs/nope')).statusCode).toBe(404);
  });

  it('other jobs (total_sent, total_receive, delete, reset_total_data_usage) are stored, listed in the peer’s jobs, deleted as 4.3', async () => {
    const c = await seedConfiguration(get().database);
    const [peer] = (await post(`/api/addPeers/${c.name}`, { name: 'runner' })).json().data;
    const JobID = '5b0e7c9a-3f1d-4c8e-9a2b-7d6e5f4c3b2a';
    const body = job(c.name, peer.id, {
      JobID,
      Field: 'total_sent',
      Value: '2',
      Action: 'reset_total_data_usage',
    });
    const saved = await post('/api/savePeerScheduleJob', body);
    expect(saved.statusCode, saved.body).toBe(200);
    const expected = {
      JobID,
      Configuration: c.name,
      Peer: peer.id,
      Field: 'total_sent',
      Operator: 'lgt',
      Value: '2',
      ExpireDate: null,
      Action: 'reset_total_data_usage',
    };
    expect(saved.json()).toMatchObject({ status: true, message: null, data: [expected] });
    expect(saved.json().data[0].CreationDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const listed = await peerJson(c.name, peer.id);
    expect(listed.jobs).toEqual(saved.json().data);
    // Not the quota: no limit was set.
    expect(listed.traffic_limit).toBeNull();
    const changed = await post('/api/savePeerScheduleJob', {
      Job: { ...body.Job, Field: 'total_receive', Operator: 'lst', Value: '0.5', Action: 'delete' },
    });
    expect(changed.json().data[0]).toMatchObject({ Field: 'total_receive', Action: 'delete' });
    const removed = await post('/api/deletePeerScheduleJob', { Job: changed.json().data[0] });
    expect(removed.json()).toEqual({ status: true, message: null, data: null });
    expect((await peerJson(c.name, peer.id)).jobs).toEqual([]);
    expect(
      (await post('/api/deletePeerScheduleJob', { Job: changed.json().data[0] })).statusCode,
    ).toBe(404);
    const messages = (await fetch(`/api/getPeerScheduleJobLogs/${c.name}`))
      .json()
      .data.map((l: { Message: string }) => l.Message);
    expect(messages).toEqual([
      'Job is created if total_sent lgt 2 then reset_total_data_usage',
      'Job is updated from if total_sent lgt 2 then reset_total_data_usage; to if total_receive lst 0.5 then delete',
      'Job is removed due to being deleted or finshed.',
    ]);
  });
});
