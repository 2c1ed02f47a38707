import { describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { createConfiguration, createPeer, uniqueLabel } from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

describe.each(DIALECTS_UNDER_TEST)('value types on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it('booleans read back as true/false, with the default applied', async () => {
    const { db } = handle();
    const id = await createConfiguration(handle());
    const read = () =>
      db
        .selectFrom('configurations')
        .select('enabled')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await read()).toEqual({ enabled: true });
    await db.updateTable('configurations').set({ enabled: false }).where('id', '=', id).execute();
    expect(await read()).toEqual({ enabled: false });
    const disabled = await db
      .selectFrom('configurations')
      .select('id')
      .where('enabled', '=', false)
      .where('id', '=', id)
      .execute();
    expect(disabled).toEqual([{ id }]);
  });

  it('peer defaults match the seed and WGDashboard', async () => {
    const { db } = handle();
    const peerId = await createPeer(handle(), await createConfiguration(handle()));
    const peer = await db
      .selectFrom('peers')
      .selectAll()
      .where('id', '=', peerId)
      .executeTakeFirstOrThrow();
    expect(peer).toMatchObject({
      name: '',
      status: 'active',
      restriction_reason: null,
      traffic_limit: null,
      expiry_date: null,
      traffic_warn_threshold: 80,
      reset_schedule: 'none',
      reset_anchor: null,
      period_rx: 0n,
      lifetime_tx: 0n,
      last_raw_rx: null,
      last_raw_tx: null,
      traffic_warned: false,
      expiry_warned_for: null,
      private_key: null,
      preshared_key: null,
    });
    expect(peer.period_started_at).toBeInstanceOf(Date);
  });

  it('text keeps any Unicode (4-byte emoji included) and JSON text is returned verbatim', async () => {
    const { db } = handle();
    const name = 'John’s Phone 📱 — Zürich';
    const data = JSON.stringify({ usage: '10737418240', limit: '10000000000', percent: 85.5 });
    const peerId = await createPeer(handle(), await createConfiguration(handle()), { name });
    const eventId = await handle().insertReturningId('peer_events', {
      type: 'warning',
      peer_id: peerId,
      peer_name: name,
      data,
      message: `Peer ${name} (abc123...) approaching traffic limit. Usage: 85.5%`,
    });
    const event = await db
      .selectFrom('peer_events')
      .select(['peer_name', 'data'])
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ peer_name: name, data });
    const peer = await db
      .selectFrom('peers')
      .select('name')
      .where('id', '=', peerId)
      .executeTakeFirstOrThrow();
    expect(peer.name).toBe(name);
  });

  it('settings are a key/value table whose key column name needs quoting', async () => {
    const { db } = handle();
    const key = uniqueLabel('timezone');
    await db.insertInto('settings').values({ key, value: 'Europe/Berlin' }).execute();
    await db.updateTable('settings').set({ value: 'UTC' }).where('key', '=', key).execute();
    const row = await db
      .selectFrom('settings')
      .select(['key', 'value'])
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ key, value: 'UTC' });
  });

  it('secrets are stored exactly as given', async () => {
    const { db } = handle();
    const nodeId = await handle().insertReturningId('nodes', {
      name: uniqueLabel('node'),
      url: 'https://[2001:db8::1]:8787',
      token: 'wgf_tok_AbC+/=%"\'`\\',
      fingerprint: 'AB:CD:EF',
    });
    const node = await db
      .selectFrom('nodes')
      .select(['token', 'url'])
      .where('id', '=', nodeId)
      .executeTakeFirstOrThrow();
    expect(node).toEqual({ token: 'wgf_tok_AbC+/=%"\'`\\', url: 'https://[2001:db8::1]:8787' });
  });
});
