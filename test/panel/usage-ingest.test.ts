import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ObservedConfiguration } from '../../src/panel/app/sync/ports.js';
import { createUsageArea, type UsageArea } from '../../src/panel/areas/usage-area.js';
import type { DumpPeer } from '../../src/shared/wire/agent-api.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { fakeKey } from '../db/support/fixtures.js';
import { createUsageConfiguration, createUsagePeer, peerRow } from './support/usage-fixtures.js';

/** Counters of one peer in a synthetic dump. */
type Counters = { key: string; rx: number; tx: number; endpoint?: string };

describe.each(DIALECTS_UNDER_TEST)('usage ingest and policy on $name', (dialect) => {
  const get = usePanel(dialect);

  /** A usage area of its own on the test panel's database (a "panel process"). */
  function newUsage() {
    const { ctx, clock } = get();
    const lines: string[] = [];
    const converged: number[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString('utf8').trim().split('\n'));
          done();
        },
      }),
    );
    const area: UsageArea = createUsageArea(
      { ...ctx, logger, metrics: new Registry(), now: clock.now },
      {
        converge: async (id) => {
          converged.push(id);
          return { applied: true };
        },
      },
    );
    const messages = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    return { area, lines, messages, converged };
  }

  function dump(
    cfg: { nodeId: number; configurationId: number },
    peers: Counters[],
    instance?: string,
  ): ObservedConfiguration {
    const { clock } = get();
    return {
      nodeId: cfg.nodeId,
      configurationId: cfg.configurationId,
      observedAt: clock.now(),
      dump: {
        interface: {
          name: 'wg0',
          public_key: null,
          listen_port: 51820,
          fwmark: null,
          ...(instance === undefined ? {} : { instance }),
        },
        peers: peers.map((p): DumpPeer => ({
          public_key: p.key,
          endpoint: p.endpoint ?? null,
          allowed_ips: [],
          latest_handshake: Math.floor(clock.now().getTime() / 1000),
          transfer_rx: p.rx,
          transfer_tx: p.tx,
          persistent_keepalive: null,
        })),
      },
    };
  }

  const usageOf = async (id: number) => {
    const r = await peerRow(get().database, id);
    return { period: r.period_rx + r.period_tx, lifetime: r.lifetime_rx + r.lifetime_tx, r };
  };

  it('takes a first observation as a baseline, counts deltas, survives counter resets, skips idle peers', async () => {
    const { database, clock } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const a = await createUsagePeer(database, cfg.configurationId); // adopted: last_raw null
    const idle = await createUsagePeer(database, cfg.configurationId, {
      last_raw_rx: 50n,
      last_raw_tx: 60n,
    });
    await area.ingest.onDump(
      dump(cfg, [
        { key: a.key, rx: 1000, tx: 2000 },
        { key: idle.key, rx: 50, tx: 60 },
      ]),
    );
    expect((await usageOf(a.id)).period).toBe(0n);
    expect((await peerRow(database, a.id)).last_raw_rx).toBe(1000n);

    clock.advance(10_000);
    await area.ingest.onDump(
      dump(cfg, [
        { key: a.key, rx: 1500, tx: 2100, endpoint: '198.51.100.7:5555' },
        { key: idle.key, rx: 50, tx: 60 },
      ]),
    );
    expect((await usageOf(a.id)).period).toBe(600n);
    // Interface restarted: counters back near zero; everything on them is new.
    clock.advance(10_000);
    await area.ingest.onDump(
      dump(cfg, [
        { key: a.key, rx: 300, tx: 40 },
        { key: idle.key, rx: 50, tx: 60 },
      ]),
    );
    const after = await usageOf(a.id);
    expect([after.period, after.lifetime]).toEqual([940n, 940n]);
    expect(after.r.endpoint).toBe('198.51.100.7:5555');
    expect(after.r.latest_handshake_at).toEqual(
      new Date(Math.floor(clock.now().getTime() / 1000) * 1000),
    );

    const idleRow = await peerRow(database, idle.id);
    expect([idleRow.period_rx, idleRow.latest_handshake_at]).toEqual([0n, null]); // never written
    const samples = () =>
      database.db
        .selectFrom('peer_usage_minute')
        .select(['peer_id', 'bucket_start', 'rx', 'tx'])
        .where('peer_id', 'in', [a.id, idle.id])
        .execute();
    // The minute is not over: its samples wait in memory (the series shows them all the same).
    expect(await samples()).toEqual([]);
    const minute = new Date('2026-11-27T12:00:00Z');
    const series = await area.series({ peerId: a.id }, 'minute', minute, clock.now());
    expect(series).toEqual([{ peerId: a.id, bucketStart: minute, rx: 800n, tx: 140n }]);
    // The first poll of a later minute writes the minute that ended: one row per peer.
    clock.advance(60_000);
    await area.ingest.onDump(
      dump(cfg, [
        { key: a.key, rx: 310, tx: 40 },
        { key: idle.key, rx: 50, tx: 60 },
      ]),
    );
    expect(await samples()).toEqual([{ peer_id: a.id, bucket_start: minute, rx: 800n, tx: 140n }]);
    const later = await area.series({ peerId: a.id }, 'hour', minute, clock.now());
    expect(later).toEqual([
      { peerId: a.id, bucketStart: new Date('2026-11-27T12:00:00Z'), rx: 810n, tx: 140n },
    ]);
    await area.flushSamples(); // as stop() does: the current minute too
    expect((await samples()).map((r) => [r.rx, r.tx])).toEqual([
      [800n, 140n],
      [10n, 0n],
    ]);
    expect(await area.series({ peerId: a.id }, 'hour', minute, clock.now())).toEqual(later);
    clock.set('2026-11-27T12:00:00Z');
  });

  it('counts every byte after the interface was re-created, even past the old counters', async () => {
    const { database, clock } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      last_raw_rx: 0n,
      last_raw_tx: 0n,
    });
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 1000, tx: 500 }], '7'));
    expect((await usageOf(p.id)).period).toBe(1500n);
    // Same incarnation: the usual delta.
    clock.advance(10_000);
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 1200, tx: 500 }], '7'));
    expect((await usageOf(p.id)).period).toBe(1700n);
    // Re-created (ifindex 8) and already past the old counters: all of it is new, not 300 + 100.
    clock.advance(10_000);
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 1500, tx: 600 }], '8'));
    const after = await usageOf(p.id);
    expect([after.period, after.lifetime]).toEqual([3800n, 3800n]);
    // And the next poll of that incarnation is a plain delta again.
    clock.advance(10_000);
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 1600, tx: 600 }], '8'));
    expect((await usageOf(p.id)).period).toBe(3900n);
  });

  it('writes samples in memory on stop, and drops those of a peer deleted meanwhile', async () => {
    const { database, clock } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const zero = { last_raw_rx: 0n, last_raw_tx: 0n };
    const a = await createUsagePeer(database, cfg.configurationId, zero);
    const gone = await createUsagePeer(database, cfg.configurationId, zero);
    await area.ingest.onDump(
      dump(cfg, [
        { key: a.key, rx: 70, tx: 7 },
        { key: gone.key, rx: 30, tx: 3 },
      ]),
    );
    await database.db.deleteFrom('peers').where('id', '=', gone.id).execute();
    await area.stop?.();
    const rows = await database.db
      .selectFrom('peer_usage_minute')
      .select(['peer_id', 'rx', 'tx'])
      .where('peer_id', 'in', [a.id, gone.id])
      .execute();
    expect(rows).toEqual([{ peer_id: a.id, rx: 70n, tx: 7n }]);
    expect((await usageOf(a.id)).period).toBe(77n);
    // A poll landing after stop() began (the poller stops later) writes its samples at once.
    clock.advance(10_000);
    await area.ingest.onDump(dump(cfg, [{ key: a.key, rx: 80, tx: 8 }]));
    const after = await database.db
      .selectFrom('peer_usage_minute')
      .select(['rx', 'tx'])
      .where('peer_id', '=', a.id)
      .execute();
    expect(after).toEqual([{ rx: 80n, tx: 8n }]);
    clock.set('2026-11-27T12:00:00Z');
  });

  it('writes a few thousand moved peers in batches: every row once, every byte counted', async () => {
    const { database, clock } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const n = 2300; // more than one batch of the bulk writes (1,000 rows)
    const keys = Array.from({ length: n }, () => fakeKey());
    for (let i = 0; i < n; i += 500)
      await database.db
        .insertInto('peers')
        .values(
          keys.slice(i, i + 500).map((public_key, j) => ({
            configuration_id: cfg.configurationId,
            public_key,
            name: `bulk ${i + j}`,
            allowed_ip: `10.${200 + Math.floor((i + j) / 256)}.${(i + j) % 256}.9/32`,
            last_raw_rx: 0n,
            last_raw_tx: 0n,
          })),
        )
        .execute();
    const poll = (k: number) =>
      area.ingest.onDump(
        dump(
          cfg,
          keys.map((key, i) => ({ key, rx: k * (i + 1), tx: k })),
        ),
      );
    await poll(1);
    clock.advance(10_000);
    await poll(2);
    clock.advance(60_000);
    await poll(3); // writes the first minute
    await area.flushSamples();
    const ids = database.db
      .selectFrom('peers')
      .select('id')
      .where('configuration_id', '=', cfg.configurationId);
    const sums = await database.db
      .selectFrom('peer_usage_minute')
      .select((eb) => [
        eb.fn.countAll<number | bigint | string>().as('rows'),
        eb.fn.sum<number | bigint | string>('rx').as('rx'),
        eb.fn.sum<number | bigint | string>('tx').as('tx'),
      ])
      .where('peer_id', 'in', ids)
      .executeTakeFirstOrThrow();
    const total = BigInt((n * (n + 1)) / 2);
    expect([BigInt(sums.rows), BigInt(sums.rx), BigInt(sums.tx)]).toEqual([
      BigInt(2 * n),
      3n * total,
      3n * BigInt(n),
    ]);
    const usage = await database.db
      .selectFrom('peers')
      .select((eb) => eb.fn.sum<number | bigint | string>('period_rx').as('rx'))
      .where('configuration_id', '=', cfg.configurationId)
      .executeTakeFirstOrThrow();
    expect(BigInt(usage.rx)).toBe(3n * total);
    clock.set('2026-11-27T12:00:00Z');
  });

  it('notices a peer re-added or deleted elsewhere between polls (no loss, no double count)', async () => {
    const { database, clock } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const a = await createUsagePeer(database, cfg.configurationId, {
      last_raw_rx: 0n,
      last_raw_tx: 0n,
    });
    const b = await createUsagePeer(database, cfg.configurationId, {
      last_raw_rx: 0n,
      last_raw_tx: 0n,
    });
    const feed = (peers: Counters[]) => {
      clock.advance(10_000);
      return area.ingest.onDump(dump(cfg, peers));
    };
    await feed([
      { key: a.key, rx: 1000, tx: 0 },
      { key: b.key, rx: 10, tx: 0 },
    ]);
    await feed([
      { key: a.key, rx: 2000, tx: 0 },
      { key: b.key, rx: 20, tx: 0 },
    ]);
    // The reconciler re-added `a` (its counters restart, last_raw := 0) behind the ingest's back.
    await database.db
      .updateTable('peers')
      .set({ last_raw_rx: 0n, last_raw_tx: 0n })
      .where('id', '=', a.id)
      .execute();
    await feed([
      { key: a.key, rx: 2500, tx: 0 },
      { key: b.key, rx: 30, tx: 0 },
    ]);
    expect((await usageOf(a.id)).period).toBe(4500n);
    expect((await usageOf(b.id)).period).toBe(30n);
    // `b` deleted elsewhere while the node still reports it: ignored, `a` still counted.
    await database.db.deleteFrom('peers').where('id', '=', b.id).execute();
    await feed([
      { key: a.key, rx: 2600, tx: 0 },
      { key: b.key, rx: 40, tx: 0 },
    ]);
    expect((await usageOf(a.id)).period).toBe(4600n);
  });

  it('restricts a peer over its quota within the poll that crossed it, once, with event and log line', async () => {
    const { database, clock, panel, headers } = get();
    const { area, messages, converged } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      name: "John's Phone",
      traffic_limit: 10_000n,
      last_raw_rx: 0n,
      last_raw_tx: 0n,
    });
    const feed = (rx: number, tx: number) => {
      clock.advance(10_000);
      return area.ingest.onDump(dump(cfg, [{ key: p.key, rx, tx }]));
    };
    await feed(4000, 3000); // 70 %
    await feed(5000, 3600); // 86 %: warning
    await feed(5200, 3600); // 88 %: no second warning
    expect(messages().filter((m) => m.includes('approaching'))).toEqual([
      `[Phase 7] Peer John's Phone (${p.key.slice(0, 6)}...) approaching traffic limit. Usage: 86%`,
    ]);
    expect(converged).toEqual([]);
    await feed(7000, 4000); // 11000 ≥ 10000
    expect((await peerRow(database, p.id)).status).toBe('restricted');
    expect(converged).toEqual([cfg.configurationId]);
    expect(messages()).toContain(
      `[Phase 7] Peer John's Phone (${p.key.slice(0, 6)}...) exceeded traffic limit. Usage: 11000 / 10000 bytes`,
    );
    // The node still reports it until the reconciler removes it: counted, not acted on again.
    await feed(7100, 4000);
    expect(converged).toEqual([cfg.configurationId]);
    expect((await usageOf(p.id)).period).toBe(11100n);
    const events = await panel.app.inject({
      url: `/api/getPeerEvents?configurationName=${cfg.name}&id=${encodeURIComponent(p.key)}`,
      headers,
    });
    expect(events.json().data.events.map((e: { type: string }) => e.type)).toEqual([
      'restricted',
      'exceeded',
      'warning',
    ]);
    expect(messages().filter((m) => m.includes('restricted. Reason: traffic_limit'))).toHaveLength(
      1,
    );
  });

  it('loses nothing and does not warn again across a panel restart', async () => {
    const { database, clock } = get();
    const first = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      traffic_limit: 1000n,
      last_raw_rx: 0n,
      last_raw_tx: 0n,
    });
    clock.advance(10_000);
    await first.area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 500, tx: 350 }])); // 85 %: warning
    expect(first.messages().filter((m) => m.includes('approaching'))).toHaveLength(1);

    const second = newUsage(); // a new process on the same database
    clock.advance(10_000);
    await second.area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 520, tx: 360 }]));
    await second.area.policy.tick();
    expect((await usageOf(p.id)).period).toBe(880n);
    expect(second.messages().filter((m) => m.includes('approaching'))).toEqual([]);
  });

  it('brings a quota-restricted peer back at its monthly reset, by the clock alone', async () => {
    const { database, clock } = get();
    const { area, messages, converged } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      traffic_limit: 1000n,
      last_raw_rx: 0n,
      last_raw_tx: 0n,
      reset_schedule: 'monthly',
      reset_anchor: 1,
      period_started_at: new Date('2026-11-01T00:00:00Z'),
    });
    clock.set('2026-11-27T12:00:00Z');
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 900, tx: 200 }]));
    expect((await peerRow(database, p.id)).restriction_reason).toBe('traffic_limit');
    await area.policy.tick();
    expect((await peerRow(database, p.id)).status).toBe('restricted');

    clock.set('2026-12-01T00:00:05Z');
    converged.length = 0;
    await area.policy.tick();
    const row = await peerRow(database, p.id);
    expect(row).toMatchObject({
      status: 'active',
      period_rx: 0n,
      period_tx: 0n,
      lifetime_rx: 900n,
    });
    expect(row.period_started_at).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(converged).toEqual([cfg.configurationId]);
    expect(messages().some((m) => m.includes('usage period reset. Usage before: 1100 bytes'))).toBe(
      true,
    );
    await area.policy.tick();
    expect(messages().filter((m) => m.includes('usage period reset'))).toHaveLength(1);
    clock.set('2026-11-27T12:00:00Z');
  });

  it('warns once before expiry, cuts at expiry on the tick, restores when extended', async () => {
    const { database, clock, panel, headers } = get();
    const { area, messages } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      name: 'Guest Access',
      expiry_date: new Date(clock.now().getTime() + 3 * 86_400_000 - 1000),
    });
    await area.policy.tick();
    await area.policy.tick();
    expect(messages().filter((m) => m.includes('expiring soon'))).toEqual([
      `[Phase 7] Peer Guest Access (${p.key.slice(0, 6)}...) expiring soon. Days remaining: 3`,
    ]);
    clock.advance(3 * 86_400_000);
    await area.policy.tick();
    expect(await peerRow(database, p.id)).toMatchObject({
      status: 'restricted',
      restriction_reason: 'expired',
    });
    expect(messages().some((m) => /has expired\. Expiry date: 2026-11-30 11:59:59$/.test(m))).toBe(
      true,
    );
    const extended = await panel.app.inject({
      method: 'POST',
      url: `/api/updatePeerExpiryDate/${cfg.name}`,
      headers,
      payload: { id: p.key, expiry_date: '2027-06-01T00:00:00Z' },
    });
    expect(extended.json().data).toMatchObject({ status: 'active' });
    clock.set('2026-11-27T12:00:00Z');
  });

  it('never restores a peer restricted by hand', async () => {
    const { database } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      status: 'restricted',
      restriction_reason: 'manual',
      traffic_limit: 10n,
    });
    await area.policy.tick();
    expect((await peerRow(database, p.id)).restriction_reason).toBe('manual');
  });

  it('rolls minute samples up into hours and days, and applies retention', async () => {
    const { database, clock } = get();
    const { area } = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, {
      last_raw_rx: 0n,
      last_raw_tx: 0n,
    });
    clock.set('2026-11-20T10:15:00Z');
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 100, tx: 1 }]));
    clock.set('2026-11-20T10:45:00Z');
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 300, tx: 2 }]));
    clock.set('2026-11-20T11:05:00Z');
    await area.ingest.onDump(dump(cfg, [{ key: p.key, rx: 600, tx: 3 }]));
    clock.set('2026-11-23T00:10:00Z');
    await area.maintainSamples();
    const rows = (table: 'peer_usage_minute' | 'peer_usage_hour' | 'peer_usage_day') =>
      database.db
        .selectFrom(table)
        .select(['bucket_start', 'rx', 'tx'])
        .where('peer_id', '=', p.id)
        .orderBy('bucket_start')
        .execute();
    expect(await rows('peer_usage_hour')).toEqual([
      { bucket_start: new Date('2026-11-20T10:00:00Z'), rx: 300n, tx: 2n },
      { bucket_start: new Date('2026-11-20T11:00:00Z'), rx: 300n, tx: 1n },
    ]);
    expect(await rows('peer_usage_day')).toEqual([
      { bucket_start: new Date('2026-11-20T00:00:00Z'), rx: 600n, tx: 3n },
    ]);
    expect(await rows('peer_usage_minute')).toEqual([]); // older than 48 h, and rolled up
    await area.maintainSamples();
    expect((await rows('peer_usage_day'))[0]).toMatchObject({ rx: 600n }); // not counted twice
    clock.set('2026-11-27T12:00:00Z');
  });
});
