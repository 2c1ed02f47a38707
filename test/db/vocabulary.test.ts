import { describe, expect, it } from 'vitest';
import {
  AUDIT_OUTCOMES,
  NODE_STATUSES,
  NOTIFICATION_LANGUAGES,
  PEER_STATUSES,
  RESET_SCHEDULES,
  RESTRICTION_REASONS,
  ROLES,
  SUBSCRIBER_STATUSES,
} from '../../src/panel/domain/vocabulary.js';
import { valuesIn } from '../../src/panel/adapters/db/migrations/check-values.js';
import { DIALECTS_UNDER_TEST } from './support/dialects-under-test.js';
import { createConfiguration, createNode, createPeer } from './support/fixtures.js';
import { useMigratedDatabase } from './support/migrated-database.js';

/**
 * The CHECKs in force (after every migration) take exactly the domain's lists: every value of
 * src/panel/domain/vocabulary.ts is stored, one outside it is refused. The old migrations spell
 * their lists out (frozen history), so a value added to the domain fails here until a new
 * migration rewrites the CHECK from the domain array.
 */
describe.each(DIALECTS_UNDER_TEST)(
  'the database speaks the domain vocabulary on $name',
  (target) => {
    const handle = useMigratedDatabase(target);

    async function refused(write: () => Promise<unknown>): Promise<void> {
      const error = await write().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(handle().dialect.constraintViolation(error)).toBe('check');
    }

    it('peer statuses and restriction reasons', async () => {
      const h = handle();
      const cfg = await createConfiguration(h);
      for (const status of PEER_STATUSES)
        for (const reason of status === 'active' ? [null] : RESTRICTION_REASONS)
          await createPeer(h, cfg, { status, restriction_reason: reason });
      await refused(() => createPeer(h, cfg, { status: 'paused' as 'active' }));
      await refused(() =>
        createPeer(h, cfg, { status: 'restricted', restriction_reason: 'other' as 'manual' }),
      );
    });

    it('reset schedules', async () => {
      const h = handle();
      const cfg = await createConfiguration(h);
      for (const schedule of RESET_SCHEDULES)
        await createPeer(h, cfg, { reset_schedule: schedule });
      await refused(() => createPeer(h, cfg, { reset_schedule: 'hourly' as 'daily' }));
    });

    it('subscriber statuses and restriction reasons', async () => {
      const h = handle();
      let n = 0;
      const add = (status: string, reason: string | null) =>
        h.db
          .insertInto('subscribers')
          .values({
            name: `vocab ${n++}`,
            token: `t${n}`,
            token_hash: `h${n}`,
            status: status as 'active',
            restriction_reason: reason as 'manual' | null,
          })
          .execute();
      for (const status of SUBSCRIBER_STATUSES)
        for (const reason of status === 'restricted' ? RESTRICTION_REASONS : [null])
          await add(status, reason);
      await refused(() => add('paused', null));
      await refused(() => add('restricted', 'other'));
      await refused(() => add('on_hold', 'manual'));
    });

    it('subscriber message languages', async () => {
      const h = handle();
      let n = 0;
      const add = (language: string | null) =>
        h.db
          .insertInto('subscribers')
          .values({
            name: `lang ${n++}`,
            token: `lt${n}`,
            token_hash: `lh${n}`,
            language: language as 'en' | null,
          })
          .execute();
      for (const language of [...NOTIFICATION_LANGUAGES, null]) await add(language);
      await refused(() => add('fr'));
    });

    it('user roles', async () => {
      const h = handle();
      const add = (role: string) =>
        h.db
          .insertInto('users')
          .values({ username: `vocab-${role}`, password_hash: 'x', role: role as 'admin' })
          .execute();
      for (const role of ROLES) await add(role);
      await refused(() => add('root'));
    });

    it('node statuses', async () => {
      const h = handle();
      for (const status of NODE_STATUSES) await createNode(h, { status });
      await refused(() => createNode(h, { status: 'maybe' as 'online' }));
    });

    it('audit outcomes', async () => {
      const h = handle();
      const add = (outcome: string) =>
        h.db
          .insertInto('audit_log')
          .values({
            at: new Date(),
            action: 'vocabulary',
            outcome: outcome as 'success',
            status_code: 200,
          })
          .execute();
      for (const outcome of AUDIT_OUTCOMES) await add(outcome);
      await refused(() => add('maybe'));
    });
  },
);

describe.each(DIALECTS_UNDER_TEST)('valuesIn on $name', (target) => {
  const handle = useMigratedDatabase(target);

  it('is the `in` list a new migration checks with', async () => {
    const h = handle();
    const online = await createNode(h, { status: 'online' });
    const offline = await createNode(h, { status: 'offline' });
    const ids = (
      await h.db
        .selectFrom('nodes')
        .select('id')
        .where(valuesIn('status', ['online']) as never)
        .execute()
    ).map((r) => r.id);
    expect(ids).toContain(online);
    expect(ids).not.toContain(offline);
  });
});
