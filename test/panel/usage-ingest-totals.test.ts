import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ObservedConfiguration } from '../../src/panel/app/sync/ports.js';
import { createUsageArea } from '../../src/panel/areas/usage-area.js';
import type { DumpPeer } from '../../src/shared/wire/agent-api.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';
import { createUsageConfiguration, createUsagePeer, peerRow } from './support/usage-fixtures.js';

/** One peer in a synthetic dump: raw counters, and the agent's totals when it keeps them. */
/** A peer the panel created: its raw counters start at zero. */
const CREATED = { last_raw_rx: 0n, last_raw_tx: 0n };

type Seen = { key: string; rx: number; tx: number; total?: { rx: number; tx: number } };

describe.each(DIALECTS_UNDER_TEST)('usage ingest of the agent totals on $name', (dialect) => {
  const get = usePanel(dialect);

  function newUsage() {
    const { ctx, clock } = get();
    return createUsageArea(
      { ...ctx, logger: pino({ level: 'silent' }), metrics: new Registry(), now: clock.now },
      { converge: async () => ({ applied: true }) },
    );
  }

  /** A dump; `epoch` undefined: an agent without a ledger (no totals at all). */
  function dump(
    cfg: { nodeId: number; configurationId: number },
    peers: Seen[],
    epoch?: string,
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
          ...(epoch === undefined ? {} : { epoch }),
        },
        peers: peers.map((p): DumpPeer => ({
          public_key: p.key,
          endpoint: null,
          allowed_ips: [],
          latest_handshake: null,
          transfer_rx: p.rx,
          transfer_tx: p.tx,
          persistent_keepalive: null,
          ...(p.total && epoch !== undefined ? { total_rx: p.total.rx, total_tx: p.total.tx } : {}),
        })),
      },
    };
  }

  const usage = async (id: number) => {
    const r = await peerRow(get().database, id);
    return [r.period_rx + r.period_tx, r.lifetime_rx + r.lifetime_tx];
  };

  it('counts totals once when the same dump is ingested twice, and stores them with the epoch', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, CREATED); // raw baseline 0
    // First totals: no stored totals yet, so the raw counters count (100) and the totals are
    // the baseline.
    await area.ingest.onDump(
      dump(cfg, [{ key: p.key, rx: 60, tx: 40, total: { rx: 5000, tx: 7000 } }], 'ep-a'),
    );
    expect(await usage(p.id)).toEqual([100n, 100n]);
    const row = await peerRow(database, p.id);
    expect([row.last_total_rx, row.last_total_tx, row.totals_epoch]).toEqual([
      5000n,
      7000n,
      'ep-a',
    ]);
    clock.advance(10_000);
    const next = dump(
      cfg,
      [{ key: p.key, rx: 260, tx: 90, total: { rx: 5200, tx: 7050 } }],
      'ep-a',
    );
    await area.ingest.onDump(next);
    await area.ingest.onDump(next); // a retried poll: the same dump again
    await newUsage().ingest.onDump(next); // and by another panel process (no cache)
    expect(await usage(p.id)).toEqual([350n, 350n]);
  });

  it('loses nothing when the interface was reset between polls and the totals went on', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, CREATED);
    const seen = (rx: number, tx: number, trx: number, ttx: number, instance: string) =>
      dump(cfg, [{ key: p.key, rx, tx, total: { rx: trx, tx: ttx } }], 'ep-a', instance);
    await area.ingest.onDump(seen(1000, 1000, 1000, 1000, '7'));
    expect(await usage(p.id)).toEqual([2000n, 2000n]);
    // 900 + 900 bytes before wg-quick down/up (read by the agent, never by the panel), then 300
    // + 100 on the new interface: the raw counters alone would count 400.
    clock.advance(60_000);
    await area.ingest.onDump(seen(300, 100, 2200, 2000, '8'));
    expect(await usage(p.id)).toEqual([4200n, 4200n]);
    // Same for an agent that does not name the incarnation and counters that climbed past.
    clock.advance(60_000);
    await area.ingest.onDump(seen(5000, 5000, 7200, 7000, '8'));
    expect(await usage(p.id)).toEqual([14200n, 14200n]);
  });

  it('falls back to the raw counters for the poll after an epoch change', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const cfg = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, cfg.configurationId, CREATED);
    await area.ingest.onDump(
      dump(cfg, [{ key: p.key, rx: 100, tx: 0, total: { rx: 900, tx: 0 } }], 'ep-a'),
    );
    // The agent lost its totals file: a new epoch counts from zero, the raw counters went on.
    clock.advance(10_000);
    await area.ingest.onDump(
      dump(cfg, [{ key: p.key, rx: 150, tx: 0, total: { rx: 20, tx: 0 } }], 'ep-b'),
    );
    expect(await usage(p.id)).toEqual([150n, 150n]);
    expect((await peerRow(database, p.id)).totals_epoch).toBe('ep-b');
    clock.advance(10_000);
    await area.ingest.onDump(
      dump(cfg, [{ key: p.key, rx: 180, tx: 0, total: { rx: 50, tx: 0 } }], 'ep-b'),
    );
    expect(await usage(p.id)).toEqual([180n, 180n]);
  });

  it('ingests a dump without totals as before (an older agent), next to one with them', async () => {
    const { database, clock } = get();
    const area = newUsage();
    const old = await createUsageConfiguration(database);
    const p = await createUsagePeer(database, old.configurationId, CREATED);
    await area.ingest.onDump(dump(old, [{ key: p.key, rx: 100, tx: 50 }]));
    clock.advance(10_000);
    await area.ingest.onDump(dump(old, [{ key: p.key, rx: 30, tx: 5 }])); // counters restarted
    expect(await usage(p.id)).toEqual([185n, 185n]);
    const row = await peerRow(database, p.id);
    expect([row.last_raw_rx, row.last_total_rx, row.totals_epoch]).toEqual([30n, null, null]);
    // A node upgraded to an agent with totals: its first totals are a baseline, raw counts.
    clock.advance(10_000);
    await area.ingest.onDump(
      dump(old, [{ key: p.key, rx: 40, tx: 5, total: { rx: 40, tx: 5 } }], 'ep-a'),
    );
    expect(await usage(p.id)).toEqual([195n, 195n]);
  });
});
