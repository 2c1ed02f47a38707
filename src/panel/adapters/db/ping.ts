import { sql } from 'kysely';
import type { DatabaseHandle } from './open-database.js';

/**
 * Resolves when the database answers a trivial query within `timeoutMs`; rejects otherwise
 * (closed handle, server gone, or a hang: a readiness probe must answer, not wait).
 */
export async function pingDatabase(handle: DatabaseHandle, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(handle.db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
