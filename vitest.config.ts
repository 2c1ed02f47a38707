import { defineConfig } from 'vitest/config';

/**
 * Three groups. Unit tests and the integration tests that need no network namespace (in-process
 * panels on throw-away SQLite files, PostgreSQL schemas and MariaDB databases; the UI in Chromium)
 * run first, two files at a time: most of their time is spent waiting on the databases and the
 * browser. Then the tests on real WireGuard in network namespaces, one file at a time, alone: they
 * send real traffic and read real timings, which a busy neighbour would distort.
 */
const integration = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Vitest's default on this 2-core machine would be one worker for everything.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/db/**/*.test.ts', 'test/panel/**/*.test.ts', 'test/browser/**/*.test.ts'],
          // One migrated MariaDB database, copied for each test's panel (test/support/global-setup.ts).
          globalSetup: ['test/support/global-setup.ts'],
          // The files share each worker's modules: the panel's source graph is loaded once per
          // worker, not once per file (~5 s each on this machine). Each file makes its own panels,
          // databases and browsers, and puts back what it changes (fake timers, TZ).
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...integration,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/lab/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          ...integration,
        },
      },
    ],
  },
});
