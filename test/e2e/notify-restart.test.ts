import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/panel/adapters/db/index.js';
import { DIALECTS_UNDER_TEST, type TestNamespace } from '../db/support/dialects-under-test.js';
import { PanelProcess, PanelSession } from '../lab/panel-process.js';
import { seedConfiguration } from '../panel/support/peer-fixtures.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const PASSWORD = 'notify-restart-password';
const PEERS = 5;

describe.each(DIALECTS_UNDER_TEST)('pending deliveries survive a SIGKILL on $name', (dialect) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });

  it('after the panel starts again they arrive, none twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wgfleet-notify-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const namespace: TestNamespace = await dialect.createNamespace();
    cleanup.push(() => namespace.drop());
    // Answers 503 until the panel is dead, 200 after.
    let accepting = false;
    const rx: WebhookReceiver = await startWebhookReceiver({
      status: () => (accepting ? 200 : 503),
    });
    cleanup.push(() => rx.close());
    const start = () =>
      PanelProcess.start({
        args: ['--data-dir', dir, '--database', namespace.url, '--log-level', 'warn'],
        env: { WGFLEET_ADMIN_PASSWORD: PASSWORD, WGFLEET_PANEL_POLL_INTERVAL: '5' },
      });
    const first = await start();
    cleanup.push(() => first.stop());
    const session = await PanelSession.signIn(first.base, PASSWORD);
    const template = (await session.api('GET', '/api/webHooks/createWebHook')) as {
      WebHookID: string;
    };
    await session.api('POST', '/api/webHooks/updateWebHook', {
      ...template,
      PayloadURL: rx.url,
      SubscribedActions: ['peer_created'],
    });
    const database: DatabaseHandle = openDatabase(namespace.url);
    cleanup.push(() => database.close());
    const c = await seedConfiguration(database);
    await session.api('POST', `/api/addPeers/${c.name}`, { bulkAdd: true, bulkAddAmount: PEERS });

    // Every delivery failed at least once: all pending, some maybe in flight when killed.
    await waitFor(
      'a failed attempt of each delivery',
      () => {
        const ids = new Set(
          rx.requests.map((r) => (JSON.parse(r.body) as { event_id: string }).event_id),
        );
        return ids.size === PEERS ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await first.kill();
    const pending = await database.db
      .selectFrom('notification_deliveries')
      .select(['id', 'status'])
      .execute();
    expect(pending).toHaveLength(PEERS);
    expect(pending.every((d) => d.status === -1)).toBe(true);

    const before = rx.requests.length;
    accepting = true;
    const second = await start();
    cleanup.push(() => second.stop());
    await waitFor(
      'every delivery recorded as delivered',
      async () => {
        const rows = await database.db
          .selectFrom('notification_deliveries')
          .select('status')
          .execute();
        return rows.every((r) => r.status === 0) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const after = rx.requests.slice(before);
    const perEvent = new Map<string, number>();
    for (const r of after) {
      const id = (JSON.parse(r.body) as { event_id: string }).event_id;
      perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    }
    // Each event arrived (answered 200) exactly once after the restart.
    expect(perEvent.size).toBe(PEERS);
    expect([...perEvent.values()].every((n) => n === 1)).toBe(true);
  });
});
