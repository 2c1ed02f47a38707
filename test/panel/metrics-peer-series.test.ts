// /metrics at more peers than one read batch (the store reads 2,000 by id at a time), the same
// text on every dialect; and `--peer-metrics off`, which leaves the per-peer families out.
import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { fakeKey } from '../db/support/fixtures.js';
import { usePanel } from './support/panel-under-test.js';
import { createUsageConfiguration } from './support/usage-fixtures.js';

const PEERS = 2345;

describe.each(DIALECTS_UNDER_TEST)('/metrics per-peer series on $name', (dialect) => {
  const get = usePanel(dialect);

  it('writes every peer of every batch once, family by family', async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    const keys = Array.from({ length: PEERS }, () => fakeKey());
    for (let i = 0; i < PEERS; i += 500)
      await database.db
        .insertInto('peers')
        .values(
          keys.slice(i, i + 500).map((public_key, j) => ({
            configuration_id: cfg.configurationId,
            public_key,
            name: i + j === 7 ? 'say "hi"\\now' : `p${i + j}`,
            allowed_ip: `10.9.${Math.floor((i + j) / 250)}.${((i + j) % 250) + 2}/32`,
            period_rx: BigInt(i + j),
            period_tx: 5n,
            traffic_limit: (i + j) % 2 ? 1000n : null,
          })),
        )
        .execute();
    const res = await panel.app.inject({ url: '/metrics', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const mine = (family: string) =>
      res.body.split('\n').filter((l) => l.startsWith(`${family}{configuration="${cfg.name}",`));
    const rx = mine('wgfleet_peer_usage_bytes').filter((l) => l.includes('direction="rx"'));
    expect(rx).toHaveLength(PEERS);
    expect(new Set(rx.map((l) => /peer="([^"]+)"/.exec(l)?.[1]))).toEqual(new Set(keys));
    expect(mine('wgfleet_peer_usage_bytes')).toHaveLength(2 * PEERS);
    expect(mine('wgfleet_peer_traffic_limit_bytes')).toHaveLength(Math.floor(PEERS / 2));
    expect(res.body).toContain(
      `{configuration="${cfg.name}",peer="${keys[7]}",name="say \\"hi\\"\\\\now",direction="rx"} 7\n`,
    );
    // Each family once, its lines together: HELP, TYPE, then only its series.
    for (const family of ['wgfleet_peer_usage_bytes', 'wgfleet_peer_traffic_limit_bytes']) {
      expect(res.body.split(`# TYPE ${family} gauge`)).toHaveLength(2);
      const lines = res.body.split('\n');
      const at = lines.findIndex((l) => l === `# TYPE ${family} gauge`);
      const end = lines.findIndex((l, i) => i > at && !l.startsWith(`${family}{`));
      expect(end - at - 1).toBe(lines.filter((l) => l.startsWith(`${family}{`)).length);
    }
  });
});

describe('/metrics with --peer-metrics off', () => {
  const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite');
  if (!sqlite) throw new Error('SQLite is always under test');
  const get = usePanel(sqlite, { config: { peerMetrics: false } });

  it('leaves the per-peer families out and still counts restricted peers', async () => {
    const { database, panel, headers } = get();
    const cfg = await createUsageConfiguration(database);
    await database.db
      .insertInto('peers')
      .values({
        configuration_id: cfg.configurationId,
        public_key: fakeKey(),
        name: 'cut',
        allowed_ip: '10.8.0.2/32',
        status: 'restricted',
        restriction_reason: 'expired',
        restricted_at: new Date(),
      })
      .execute();
    const res = await panel.app.inject({ url: '/metrics', headers });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('wgfleet_peer_');
    expect(res.body).toMatch(/^wgfleet_restricted_peers\{reason="expired"\} 1$/m);
    expect(res.body).toMatch(/^wgfleet_restricted_peers\{reason="manual"\} 0$/m);
    expect(res.body).toContain('wgfleet_usage_ingest_duration_seconds');
  });
});
