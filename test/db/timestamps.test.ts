import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { createConfiguration, createNode, createPeer } from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

// The stored text of an instant, to the second, in each dialect's own terms: proves the value
// at rest is UTC wall-clock time, not just that it reads back to the same Date.
const STORED_TEXT: Record<DialectName, string> = {
  sqlite: `substr(expiry_date, 1, 19)`,
  postgres: `to_char(expiry_date, 'YYYY-MM-DD"T"HH24:MI:SS')`,
  mysql: `date_format(expiry_date, '%Y-%m-%dT%H:%i:%s')`,
};

describe.each(DIALECTS_UNDER_TEST)('timestamps on $name', (target) => {
  const handle = useMigratedDatabase(target);
  const savedTz = process.env.TZ;

  // A process far from UTC: any conversion through local time would show.
  beforeAll(() => {
    process.env.TZ = 'Pacific/Kiritimati'; // UTC+14
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('round-trip to the millisecond and are stored as UTC', async () => {
    const { db } = handle();
    const expiry = new Date('2031-03-04T05:06:07.089Z');
    expect(expiry.getTimezoneOffset()).toBe(-14 * 60);
    const peerId = await createPeer(handle(), await createConfiguration(handle()), {
      expiry_date: expiry,
    });
    const row = await db
      .selectFrom('peers')
      .select(['expiry_date', sql<string>`${sql.raw(STORED_TEXT[target.name])}`.as('stored')])
      .where('id', '=', peerId)
      .executeTakeFirstOrThrow();
    expect(row.expiry_date).toBeInstanceOf(Date);
    expect(row.expiry_date?.toISOString()).toBe('2031-03-04T05:06:07.089Z');
    expect(row.stored).toBe('2031-03-04T05:06:07');
  });

  it('default to the current UTC time', async () => {
    const { db } = handle();
    const before = Date.now();
    const nodeId = await createNode(handle());
    const after = Date.now();
    const row = await db
      .selectFrom('nodes')
      .select(['created_at', 'updated_at', 'last_seen_at'])
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow();
    expect(row.created_at).toBeInstanceOf(Date);
    // Same machine, same clock; a zone error would be off by hours.
    expect(row.created_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.created_at.getTime()).toBeLessThanOrEqual(after + 1000);
    expect(row.last_seen_at).toBeNull();
  });

  it('compare and sort chronologically against Date parameters', async () => {
    const { db } = handle();
    const configurationId = await createConfiguration(handle());
    const instants = [
      '2030-01-01T00:00:00.001Z',
      '2030-01-01T00:00:00.010Z',
      '2029-12-31T23:59:59.999Z',
      '2030-06-01T12:00:00.000Z',
    ].map((iso) => new Date(iso));
    for (const expiry_date of instants)
      await createPeer(handle(), configurationId, { expiry_date });

    const due = await db
      .selectFrom('peers')
      .select('expiry_date')
      .where('configuration_id', '=', configurationId)
      .where('expiry_date', '<=', new Date('2030-01-01T00:00:00.005Z'))
      .orderBy('expiry_date')
      .execute();
    expect(due.map((r) => r.expiry_date?.toISOString())).toEqual([
      '2029-12-31T23:59:59.999Z',
      '2030-01-01T00:00:00.001Z',
    ]);
  });

  it('clear to null and set again', async () => {
    const { db } = handle();
    const peerId = await createPeer(handle(), await createConfiguration(handle()), {
      expiry_date: new Date('2030-01-01T00:00:00Z'),
    });
    await db.updateTable('peers').set({ expiry_date: null }).where('id', '=', peerId).execute();
    const cleared = await db
      .selectFrom('peers')
      .select('expiry_date')
      .where('id', '=', peerId)
      .executeTakeFirstOrThrow();
    expect(cleared.expiry_date).toBeNull();
  });
});
