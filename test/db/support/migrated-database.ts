import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  createAesGcmCipher,
  migrateToLatest,
  openDatabase,
} from '../../../src/panel/adapters/db/index.js';
import type { DatabaseHandle } from '../../../src/panel/adapters/db/index.js';
import type { DialectUnderTest, TestNamespace } from './dialects-under-test.js';

/**
 * Registers hooks that give the enclosing `describe` a freshly migrated database in its own
 * namespace, closed and dropped afterwards. Returns a getter (valid inside tests).
 */
export function useMigratedDatabase(target: DialectUnderTest): () => DatabaseHandle {
  let namespace: TestNamespace | undefined;
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    // On MariaDB a copy of the suite's migrated template (test/support/global-setup.ts).
    namespace = await target.createNamespace({ migrated: true });
    // A real cipher with a key of this suite: the repositories seal and open as in production.
    handle = openDatabase(namespace.url, { secrets: createAesGcmCipher(randomBytes(32)) });
    await migrateToLatest(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await namespace?.drop();
  });
  return () => {
    if (!handle) throw new Error('database not ready: use it inside a test');
    return handle;
  };
}
