import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  escapeLabelValue,
  peerSeriesText,
  readPeerSeries,
  type PeerSeriesRow,
} from './peer-series.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

const row = (id: number, over: Partial<PeerSeriesRow> = {}): PeerSeriesRow => ({
  id,
  configuration_id: 1,
  public_key: `key${id}+/=`,
  name: `peer ${id}`,
  period_rx: BigInt(id * 1000),
  period_tx: BigInt(id * 3000),
  traffic_limit: null,
  expiry_date: null,
  ...over,
});

const ROWS: PeerSeriesRow[] = [
  row(1, { traffic_limit: 10n ** 12n, expiry_date: new Date(NOW + 86_400_500) }),
  row(2, { name: 'o"brien \\ two\nlines', configuration_id: 2 }),
  row(3, { expiry_date: new Date(NOW - 1500), period_rx: 2n ** 53n - 1n }),
  row(4, { traffic_limit: 0n, configuration_id: 2, name: '' }),
  row(5, { configuration_id: 9 }), // its configuration was deleted meanwhile
];
const NAMES = new Map([
  [1, 'wg0'],
  [2, 'w"g\\1'],
]);

async function* batches(rows: readonly PeerSeriesRow[], size: number) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** The same families as prom-client gauges write them (what /metrics served before). */
async function promClientText(rows: readonly PeerSeriesRow[]): Promise<string> {
  const registry = new Registry();
  const labels = ['configuration', 'peer', 'name'] as const;
  const usage = new Gauge({
    name: 'wgfleet_peer_usage_bytes',
    help: 'Bytes used by a peer in its current period (rx: received by the node, tx: sent)',
    labelNames: [...labels, 'direction'],
    registers: [registry],
  });
  const limit = new Gauge({
    name: 'wgfleet_peer_traffic_limit_bytes',
    help: 'Traffic limit of a peer per period (rx + tx); peers without a limit are left out',
    labelNames: labels,
    registers: [registry],
  });
  const expiry = new Gauge({
    name: 'wgfleet_peer_expiry_seconds',
    help: 'Seconds until a peer expires (negative once expired); peers without expiry left out',
    labelNames: labels,
    registers: [registry],
  });
  for (const r of rows) {
    const configuration = NAMES.get(r.configuration_id);
    if (configuration === undefined) continue;
    const l = { configuration, peer: r.public_key, name: r.name };
    usage.set({ ...l, direction: 'rx' }, Number(r.period_rx));
    usage.set({ ...l, direction: 'tx' }, Number(r.period_tx));
    if (r.traffic_limit !== null) limit.set(l, Number(r.traffic_limit));
    if (r.expiry_date !== null) expiry.set(l, (r.expiry_date.getTime() - NOW) / 1000);
  }
  return registry.metrics();
}

describe('per-peer series text', () => {
  it('writes what prom-client writes for the same gauges, escaping included', async () => {
    const snapshot = await readPeerSeries(batches(ROWS, 2), async () => NAMES);
    expect(snapshot.size).toBe(4);
    const ours = [...peerSeriesText(snapshot, NOW)].join('');
    // prom-client separates families by a blank line; so do we (each family opens with one).
    expect(ours).toBe(`\n${await promClientText(ROWS)}`);
    expect(ours).toContain('name="o\\"brien \\\\ two\\nlines"');
    expect(ours).toContain(
      'wgfleet_peer_expiry_seconds{configuration="wg0",peer="key3+/=",name="peer 3"} -1.5',
    );
  });

  it('hands the text on in pieces of a few hundred peers, every line whole', async () => {
    const many = Array.from({ length: 1234 }, (_, i) => row(i + 1, { traffic_limit: 5n }));
    const pieces = [
      ...peerSeriesText(await readPeerSeries(batches(many, 500), async () => NAMES), NOW),
    ];
    expect(pieces.length).toBeGreaterThan(6);
    for (const p of pieces) expect(p.endsWith('\n')).toBe(true);
    expect(pieces.join('')).toBe(`\n${await promClientText(many)}`);
  });

  it('writes the families with no series when there are no peers', async () => {
    const text = [...peerSeriesText(await readPeerSeries(batches([], 1), async () => NAMES), NOW)];
    expect(text.join('')).toBe(`\n${await promClientText([])}`);
  });

  it('escapes backslash, newline and double quote only', () => {
    expect(escapeLabelValue('plain')).toBe('plain');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
