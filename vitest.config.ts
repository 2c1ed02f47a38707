import { defineConfig } from 'vitest/config';

/**
 * The tests that measure speeds or deadlines on real processes (shaped throughput within ±15 %, a
 * cluster's takeover within two poll intervals, request timeouts): one at a time, alone on the
 * machine, where a busy neighbour cannot distort what they measure.
 */
const ALONE = [
  'test/e2e/agent-rate-limits.test.ts',
  'test/e2e/panel-rate-limits.test.ts',
  'test/e2e/panel-subscriber-throttle.test.ts',
  'test/e2e/panel-cluster.test.ts',
  'test/e2e/slow-requests.test.ts',
];

const slow = { testTimeout: 60_000, hookTimeout: 60_000 };

/**
 * Four groups: unit tests and the integration tests without network namespaces (in-process panels
 * on throw-away SQLite files, PostgreSQL schemas and MariaDB databases; the UI in Chromium), two
 * files at a time; the tests on real WireGuard in network namespaces, one file at a time; then the
 * ALONE ones. `npm test` (scripts/run-tests.mjs) runs the first two groups side by side, in two
 * vitest processes (most of their time is spent waiting on databases, browsers and polls), then
 * the ALONE group; plain `vitest run` runs the groups one after another.
 */
export default defineConfig({
  test: {
    // Vitest's default on this 2-core machine would be one worker for everything.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'unit', include: ['src/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        test: {
          name: 'integration',
          include: ['test/db/**/*.test.ts', 'test/panel/**/*.test.ts', 'test/browser/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          ...slow,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/lab/**/*.test.ts'],
          exclude: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          ...slow,
        },
      },
      {
        test: {
          name: 'alone',
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          ...slow,
        },
      },
    ],
  },
});
