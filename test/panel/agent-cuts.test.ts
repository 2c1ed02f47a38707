// The cuts a node made on its own while the panel was away (issue 14), recorded by the usage
// area's AgentCutSink on every dialect: the peer restricted with the node's reason at the node's
// time, the bytes counted once (also when the same record comes again because its acknowledgement
// was lost, and when the ingest runs after it), and a cause the panel lifted meanwhile restored.
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createUsageArea } from '../../src/panel/areas/usage-area.js';
import type { Enforcement } from '../../src/shared/wire/agent-api.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { createUsageConfiguration, createUsagePeer, peerRow } from './support/usage-fixtures.js';

describe.each(DIALECTS_UNDER_TEST)('cuts made by a node, recorded on $name', (dialect) => {
  const get = usePanel(dialect);

  function newUsage() {
    const { ctx, clock } = get();
    return createUsageArea(
      { ...ctx, logger: pino({ level: 'silent' }), metrics: new Registry(), now: clock.now },
      { converge: async () => ({ applied: true }) },
    );
  }

  const cut = (key: string, over: Partial<Enforcement> = {}): Enforcement => ({
    id: `cut-${Math.random().toString(36).slice(2, 10)}`,
    public_key: key,
    at: '2026-11-27T11:59:30.000Z',
    reason: 'traffic_limit',
    total_rx: 6000,
    total_tx: 4000,
    epoch: 'ep-a',
    used_bytes: 1000,
    remaining_bytes: 900,
    expires_at: null,
    ...over,
  });

  const events = (peerId: number) =>
    get()
      .database.db.selectFrom('peer_events')
      .select(['type', 'created_at', 'data'])
      .where('peer_id', '=', peerId)
      .orderBy('id')
      .execute();
  const recorded = (configurationId: number) =>
    get()
      .database.db.selectFrom('agent_cuts')
      .select('record_id')
      .where('configuration_id', '=', configurationId)
      .execute();

  it('restricts with the reason at the node time, counts the bytes once, and once per record id', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    // Counted up to totals 5500/3600 (epoch ep-a): 9,100 of its 10,000 bytes used.
    const p = await createUsagePeer(database, cfg.configurationId, {
      traffic_limit: 10_000n,
      period_rx: 5500n,
      period_tx: 3600n,
      last_raw_rx: 5500n,
      last_raw_tx: 3600n,
      last_total_rx: 5500n,
      last_total_tx: 3600n,
      totals_epoch: 'ep-a',
    });
    const record = cut(p.key);
    const observed = {
      ...cfg,
      cuts: [record],
      observedAt: clock.now(),
    };
    expect(await area.cuts.record(observed)).toEqual({ changed: true });
    const row = await peerRow(database, p.id);
    expect([row.status, row.restriction_reason]).toEqual(['restricted', 'traffic_limit']);
    expect(row.restricted_at?.toISOString()).toBe(record.at);
    // 6000 − 5500 and 4000 − 3600: what the node counted after the panel's last poll.
    expect([row.period_rx, row.period_tx]).toEqual([6000n, 4000n]);
    expect([row.last_total_rx, row.last_total_tx, row.totals_epoch]).toEqual([
      6000n,
      4000n,
      'ep-a',
    ]);
    const seen = await events(p.id);
    // Never warned before: the crossing's warning comes with the cut.
    expect(seen.map((e) => e.type)).toEqual(['warning', 'exceeded', 'restricted']);
    for (const e of seen) {
      expect(e.created_at.toISOString()).toBe(record.at);
      expect(JSON.parse(e.data ?? '{}')).toMatchObject({ by: 'agent' });
    }
    expect(JSON.parse(seen[0]!.data ?? '{}')).toMatchObject({ usage: '10000', limit: '10000' });

    // The acknowledgement was lost: the same record again changes nothing.
    clock.advance(10_000);
    expect(await area.cuts.record({ ...observed, observedAt: clock.now() })).toEqual({
      changed: false,
    });
    expect((await peerRow(database, p.id)).period_rx).toBe(6000n);
    expect(await events(p.id)).toHaveLength(3);
    expect((await recorded(cfg.configurationId)).map((r) => r.record_id)).toEqual([record.id]);

    // The node's next dump no longer lists the peer (it is cut): the ingest adds nothing.
    await area.ingest.onDump({
      ...cfg,
      observedAt: clock.now(),
      dump: {
        interface: { name: 'wg0', public_key: null, listen_port: 1, fwmark: null, epoch: 'ep-a' },
        peers: [],
      },
    });
    expect((await peerRow(database, p.id)).period_rx).toBe(6000n);
    await area.cuts.acknowledged(cfg.configurationId);
    expect(await recorded(cfg.configurationId)).toEqual([]);
  });

  it('an expired peer gets the reason expired; a peer already restricted only gets its bytes', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const expiring = await createUsagePeer(database, cfg.configurationId, {
      expiry_date: new Date('2026-11-27T11:59:00Z'),
      last_total_rx: 100n,
      last_total_tx: 100n,
      totals_epoch: 'ep-a',
    });
    const manual = await createUsagePeer(database, cfg.configurationId, {
      status: 'restricted',
      restriction_reason: 'manual',
      last_total_rx: 100n,
      last_total_tx: 100n,
      totals_epoch: 'ep-a',
    });
    await area.cuts.record({
      ...cfg,
      observedAt: clock.now(),
      cuts: [
        cut(expiring.key, { reason: 'expired', total_rx: 150, total_tx: 110 }),
        cut(manual.key, { total_rx: 130, total_tx: 100 }),
      ],
    });
    const e = await peerRow(database, expiring.id);
    expect([e.status, e.restriction_reason, e.period_rx + e.period_tx]).toEqual([
      'restricted',
      'expired',
      60n,
    ]);
    expect((await events(expiring.id)).map((x) => x.type)).toEqual(['expired', 'restricted']);
    const m = await peerRow(database, manual.id);
    expect([m.restriction_reason, m.period_rx]).toEqual(['manual', 30n]);
    expect(await events(manual.id)).toEqual([]);
  });

  it('records the cut, then restores a peer whose limit the panel raised meanwhile', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    // The node still had the old allowance; the panel raised the limit while it could not reach it.
    const p = await createUsagePeer(database, cfg.configurationId, {
      traffic_limit: 1_000_000n,
      last_total_rx: 5500n,
      last_total_tx: 3600n,
      totals_epoch: 'ep-a',
    });
    await area.cuts.record({ ...cfg, observedAt: clock.now(), cuts: [cut(p.key)] });
    const row = await peerRow(database, p.id);
    expect([row.status, row.restriction_reason]).toEqual(['active', null]);
    expect(row.period_rx + row.period_tx).toBe(900n);
    const seen = await events(p.id);
    expect(seen.map((x) => x.type)).toEqual(['restricted', 'restored']);
    expect(seen[0]!.created_at.toISOString()).toBe('2026-11-27T11:59:30.000Z');
    expect(seen[1]!.created_at.toISOString()).toBe(clock.now().toISOString());
  });
});
