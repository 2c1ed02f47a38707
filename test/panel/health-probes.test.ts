// Health probes of a real panel process: /healthz (process up) and /readyz (database answers),
// both without credentials. /readyz turns 503 while PostgreSQL or MariaDB is unreachable (a TCP
// proxy in front of the shared server is cut) and 200 again once it is back; /healthz stays 200.
// Paths that are neither a probe nor a UI route answer 404, not the UI's index.html.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS_UNDER_TEST, type TestNamespace } from '../db/support/dialects-under-test.js';
import { PanelProcess, waitFor } from '../lab/index.js';
import { usePanel } from './support/panel-under-test.js';
import { TcpProxy } from './support/tcp-proxy.js';

describe.each(DIALECTS_UNDER_TEST)('health probes of a panel process on $name', (dialect) => {
  let namespace: TestNamespace;
  let dataDir = '';
  let proxy: TcpProxy | null = null;
  let panel: PanelProcess;

  beforeAll(async () => {
    namespace = await dialect.createNamespace();
    dataDir = await mkdtemp(join(tmpdir(), 'wgfleet-probes-'));
    let url = namespace.url;
    if (dialect.name !== 'sqlite') {
      const server = new URL(url);
      proxy = new TcpProxy(server.hostname, Number(server.port || defaultPort(dialect.name)));
      await proxy.start();
      server.hostname = '127.0.0.1';
      server.port = String(proxy.port);
      url = server.toString();
    }
    panel = await PanelProcess.start({
      args: ['--data-dir', dataDir, '--database', url, '--log-level', 'warn'],
    });
  });
  afterAll(async () => {
    await panel?.stop();
    await proxy?.cut();
    await namespace?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const probe = async (path: string) => {
    const res = await fetch(`${panel.base}${path}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('answers /healthz and /readyz with 200 and no credentials', async () => {
    expect(await probe('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await probe('/readyz')).toEqual({
      status: 200,
      body: {
        status: 'ok',
        database: 'ok',
        panel: expect.any(String),
        leases: 0,
        jobs: expect.any(Boolean),
      },
    });
  });

  it('answers 404, not the UI, for other probe paths', async () => {
    for (const path of ['/health', '/docs', '/ready', '/status'])
      expect((await probe(path)).status, path).toBe(404);
  });

  it.skipIf(dialect.name === 'sqlite')(
    'answers /readyz 503 while the database server is unreachable, 200 once it is back',
    async () => {
      await proxy!.cut();
      expect(await probe('/readyz')).toMatchObject({
        status: 503,
        body: { status: 'unavailable', database: 'unavailable', leases: 0 },
      });
      expect(await probe('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      await proxy!.start();
      await waitFor(
        '/readyz to recover',
        async () => ((await probe('/readyz')).status === 200 ? true : undefined),
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(panel.running).toBe(true);
    },
  );
});

// A SQLite file cannot be taken away from a process that has it open; a closed handle can.
describe('readiness on a closed SQLite handle', () => {
  const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;
  const get = usePanel(sqlite);

  it('answers /readyz 503 once the database is closed; /healthz stays 200', async () => {
    const { panel, database } = get();
    expect((await panel.app.inject('/readyz')).statusCode).toBe(200);
    await database.close();
    const res = await panel.app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    // The panel's cluster part says what it holds (an API-only panel: nothing).
    expect(res.json()).toEqual({
      status: 'unavailable',
      database: 'unavailable',
      panel: expect.any(String),
      leases: 0,
      jobs: false,
    });
    expect((await panel.app.inject('/healthz')).statusCode).toBe(200);
  });
});

const defaultPort = (name: string) => (name === 'postgres' ? 5432 : 3306);
