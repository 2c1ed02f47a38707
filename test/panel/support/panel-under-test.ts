import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect } from 'vitest';
import { createUserStore } from '../../../src/panel/adapters/db/repos/auth-store.js';
import { randomBytes } from 'node:crypto';
import {
  connectDatabase,
  createAesGcmCipher,
  type DatabaseHandle,
} from '../../../src/panel/adapters/db/index.js';
import { createAgentClients } from '../../../src/panel/adapters/agent-client/agent-clients.js';
import { bootstrapAdmin } from '../../../src/panel/app/auth/bootstrap-admin.js';
import { composePanel, type ComposedPanel } from '../../../src/panel/compose.js';
import { resolvePanelConfig, type PanelConfig } from '../../../src/panel/config.js';
import type { PanelContext } from '../../../src/panel/context.js';
import type { DialectUnderTest, TestNamespace } from '../../db/support/dialects-under-test.js';

export const ADMIN = { username: 'admin', password: 'correct-horse-battery' } as const;

/**
 * A clock tests can set and move. Running, it goes on with real time from wherever it was set
 * (lab tests with real traffic that still need to cross a date, such as midnight).
 */
export class TestClock {
  private readonly since: number | null;
  constructor(
    private t = new Date('2026-11-27T12:00:00Z').getTime(),
    running = false,
  ) {
    this.since = running ? Date.now() : null;
  }
  private elapsed = () => (this.since === null ? 0 : Date.now() - this.since);
  now = () => new Date(this.t + this.elapsed());
  set(d: Date | string) {
    this.t = new Date(d).getTime() - this.elapsed();
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export interface PanelUnderTest {
  readonly panel: ComposedPanel;
  readonly ctx: PanelContext;
  readonly database: DatabaseHandle;
  readonly clock: TestClock;
  /** A valid API key, created through the API, for the `wg-dashboard-apikey` header. */
  readonly apiKey: string;
  /** Headers that authenticate with the API key. */
  readonly headers: Record<string, string>;
}

export interface PanelUnderTestOptions {
  /**
   * Use the real clock instead of a TestClock (lab tests with real traffic); `'movable'`: a
   * running TestClock, from the real time on, that the test can move forward.
   */
  readonly realClock?: boolean | 'movable';
  readonly config?: Partial<PanelConfig>;
  /** Start the poller and other timers (lab tests). */
  readonly start?: boolean;
  /** What compose.ts takes besides the context (the notifications' recipient resolver). */
  readonly extras?: Parameters<typeof composePanel>[3];
  /** The panel's logger (default: silent, or WGFLEET_TEST_LOG's level). */
  readonly logger?: Logger;
}

/**
 * Registers hooks giving the enclosing `describe` a whole panel (every area, real database of the
 * given dialect in its own namespace, admin created, an API key made through the API). Requests
 * go through `panel.app.inject` unless the test listens. Everything is closed and dropped after.
 */
export function usePanel(
  target: DialectUnderTest,
  options: PanelUnderTestOptions = {},
): () => PanelUnderTest {
  let namespace: TestNamespace | undefined;
  let state: PanelUnderTest | undefined;
  beforeAll(async () => {
    // Already migrated on MariaDB (a copy of the suite's template): the subject is the panel.
    namespace = await target.createNamespace({ migrated: true });
    // Migrated and its secrets sealed as a panel start does, with a key of this suite.
    const database = await connectDatabase(namespace.url, {
      secrets: createAesGcmCipher(randomBytes(32)),
    });
    await bootstrapAdmin(createUserStore(database), ADMIN);
    const clock =
      options.realClock === 'movable' ? new TestClock(Date.now(), true) : new TestClock();
    const config: PanelConfig = {
      ...resolvePanelConfig(
        {
          listen: '127.0.0.1:0',
          dataDir: '/tmp',
          pollInterval: '1',
          pollConcurrency: '4',
          sessionTtl: '1',
          logLevel: 'silent',
        },
        {},
      ),
      databaseUrl: namespace.url,
      ...options.config,
    };
    const ctx: PanelContext = {
      config,
      database,
      logger: options.logger ?? pino({ level: process.env.WGFLEET_TEST_LOG ?? 'silent' }),
      now: options.realClock === true ? () => new Date() : clock.now,
      agents: createAgentClients(5_000),
      metrics: new Registry(),
    };
    const panel = await composePanel(ctx, 'test', undefined, options.extras);
    const signIn = await panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      payload: ADMIN,
    });
    const cookie = signIn.cookies.find((c) => c.name === 'wgfleet_session');
    const created = await panel.app.inject({
      method: 'POST',
      url: '/api/newDashboardAPIKey',
      cookies: { wgfleet_session: cookie?.value ?? '' },
      payload: { neverExpire: true },
    });
    const apiKey = (created.json() as { data: { Key: string } }).data.Key;
    if (options.start) panel.start();
    state = { panel, ctx, database, clock, apiKey, headers: { 'wg-dashboard-apikey': apiKey } };
  });
  afterAll(async () => {
    if (state) {
      await state.panel.stop();
      await state.panel.app.close();
      await state.ctx.agents.closeAll();
      await state.database.close();
    }
    await namespace?.drop();
  });
  return () => {
    if (!state) throw new Error('panel not ready: use it inside a test');
    return state;
  };
}

/** A panel answer's envelope, `data` as the test reads it. */
export interface Answer {
  status: boolean;
  message: string | null;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Calls the panel under test in-process with its API key; anything but 200 fails the test. */
export function panelApi(get: () => PanelUnderTest) {
  return async (method: 'GET' | 'POST', url: string, payload?: object): Promise<Answer> => {
    const res = await get().panel.app.inject({ method, url, payload, headers: get().headers });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json() as Answer;
  };
}
