import { describe, expect, it } from 'vitest';
import { toBigInt } from '../../src/panel/adapters/db/index.js';
import type { PeerInsert } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { createConfiguration, createPeer } from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

const ABOVE_DOUBLE = 2n ** 53n + 1n; // the first integer a double cannot hold
const INT64_MAX = 2n ** 63n - 1n;
const LEDGER = [
  'last_raw_rx',
  'last_raw_tx',
  'period_rx',
  'period_tx',
  'lifetime_rx',
  'lifetime_tx',
] as const;

function ledgerOf(value: bigint): Partial<PeerInsert> {
  return { traffic_limit: value, ...Object.fromEntries(LEDGER.map((c) => [c, value])) };
}

describe.each(DIALECTS_UNDER_TEST)('64-bit byte counts on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it.each([
    ['2^53 + 1', ABOVE_DOUBLE],
    ['2^63 - 1', INT64_MAX],
    ['0', 0n],
  ])('store and read back %s exactly, as bigint, in every ledger column', async (_, value) => {
    const { db } = handle();
    const peerId = await createPeer(handle(), await createConfiguration(handle()), ledgerOf(value));
    const row = await db
      .selectFrom('peers')
      .select([...LEDGER, 'traffic_limit'])
      .where('id', '=', peerId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual(ledgerOf(value));
    for (const column of [...LEDGER, 'traffic_limit'] as const)
      expect(typeof row[column]).toBe('bigint');
  });

  it('adds deltas in SQL without rounding, and filters on exact values', async () => {
    const { db } = handle();
    const configurationId = await createConfiguration(handle());
    const start = 2n ** 53n;
    const a = await createPeer(handle(), configurationId, { period_rx: start });
    const b = await createPeer(handle(), configurationId, { period_rx: start + 1n });

    await db
      .updateTable('peers')
      .set((eb) => ({
        period_rx: eb('period_rx', '+', 1n),
        lifetime_tx: eb('lifetime_tx', '+', INT64_MAX),
      }))
      .where('id', '=', a)
      .execute();

    const exact = await db
      .selectFrom('peers')
      .select(['id', 'period_rx', 'lifetime_tx'])
      .where('configuration_id', '=', configurationId)
      .where('period_rx', '=', start + 1n)
      .orderBy('id')
      .execute();
    expect(exact).toEqual([
      { id: a, period_rx: start + 1n, lifetime_tx: INT64_MAX },
      { id: b, period_rx: start + 1n, lifetime_tx: 0n },
    ]);
    const above = await db
      .selectFrom('peers')
      .select('id')
      .where('configuration_id', '=', configurationId)
      .where('period_rx', '>', start)
      .execute();
    expect(above).toHaveLength(2);
  });

  it('reject what does not fit, instead of wrapping or rounding', async () => {
    const configurationId = await createConfiguration(handle());
    await expect(createPeer(handle(), configurationId, { period_rx: 2n ** 63n })).rejects.toThrow();
    await expect(createPeer(handle(), configurationId, { lifetime_rx: -1n })).rejects.toThrow();
    await expect(createPeer(handle(), configurationId, { traffic_limit: -5n })).rejects.toThrow();
  });

  it('give ids and plain integers as numbers, counts as bigint, sums through toBigInt', async () => {
    const { db } = handle();
    const configurationId = await createConfiguration(handle());
    await createPeer(handle(), configurationId, { period_tx: INT64_MAX - 10n, mtu: 1420 });
    await createPeer(handle(), configurationId, { period_tx: 10n, keepalive: 25 });
    const peers = await db
      .selectFrom('peers')
      .select(['id', 'configuration_id', 'mtu', 'keepalive', 'traffic_warn_threshold'])
      .where('configuration_id', '=', configurationId)
      .orderBy('id')
      .execute();
    expect(peers.map((p) => [typeof p.id, p.configuration_id, p.mtu, p.keepalive])).toEqual([
      ['number', configurationId, 1420, null],
      ['number', configurationId, null, 25],
    ]);
    expect(peers[0]?.traffic_warn_threshold).toBe(80);

    const totals = await db
      .selectFrom('peers')
      .select((eb) => [eb.fn.countAll().as('peers'), eb.fn.sum('period_tx').as('bytes')])
      .where('configuration_id', '=', configurationId)
      .executeTakeFirstOrThrow();
    expect(totals.peers).toBe(2n);
    expect(toBigInt(totals.bytes)).toBe(INT64_MAX);
  });
});
