import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/agent/app/keyed-lock.js';
import { buildAgentApp } from '../../src/agent/http/app.js';
import { AgentMetrics } from '../../src/agent/http/metrics.js';
import { FakeWg } from '../../src/agent/testing/fake-wg.js';
import { createConfStore } from '../../src/agent/wg/conf-store.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { usePanel } from './support/panel-under-test.js';

const run = promisify(execFile);
const REDOCLY = join(import.meta.dirname, '../../node_modules/.bin/redocly');
const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite')!;

interface LintProblem {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly location?: readonly { readonly pointer?: string }[];
}

/**
 * Warnings of the recommended rules that do not apply: sign-out and the agent's liveness probe
 * have no 4xx answer to document (they answer 200 to anyone).
 */
// Routes with no 4xx to document: signing out, the unauthenticated health probes, and
// WGDashboard's public questions (requireAuthentication, getDashboardVersion, isTotpEnabled).
const NOT_APPLICABLE = [
  /^warn operation-4xx-response #\/paths\/~1(api~1signout|v1~1health|healthz|readyz)\//,
  /^warn operation-4xx-response #\/paths\/~1api~1(requireAuthentication|getDashboardVersion|isTotpEnabled)\//,
];

/** `redocly lint` with its recommended rules; the problems it reports (errors and warnings). */
async function lint(dir: string, name: string, doc: unknown): Promise<string[]> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(doc));
  const { stdout } = await run(
    REDOCLY,
    ['lint', '--extends', 'recommended', '--format', 'json', file],
    { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: LintProblem[] };
  return report.problems
    .map((p) => `${p.severity} ${p.ruleId} ${p.location?.[0]?.pointer ?? ''}: ${p.message}`)
    .filter((p) => !NOT_APPLICABLE.some((re) => re.test(p)));
}

describe('the OpenAPI documents lint clean (redocly, recommended rules)', () => {
  const get = usePanel(sqlite);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-openapi-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the panel’s /api/openapi.json', async () => {
    const { panel, headers } = get();
    const doc = (await panel.app.inject({ url: '/api/openapi.json', headers })).json();
    expect(await lint(dir, 'panel', doc)).toEqual([]);
  }, 120_000);

  it('the agent’s /v1/openapi.json, served without auth', async () => {
    const wg = new FakeWg();
    const agent = await buildAgentApp({
      deps: {
        wg,
        links: wg,
        confs: createConfStore(dir),
        lock: new KeyedLock(),
        onlyInterfaces: null,
        allowHooks: false,
        ledger: null,
      },
      token: 'lint-token-'.padEnd(43, 'x'),
      version: '0.0.0',
      metrics: new AgentMetrics(),
      logger: pino({ level: 'silent' }),
    });
    try {
      const res = await agent.inject({ url: '/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(await lint(dir, 'agent', res.json())).toEqual([]);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
