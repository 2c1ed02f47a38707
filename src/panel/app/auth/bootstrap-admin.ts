import { randomBytes } from 'node:crypto';
import { hashPassword } from './passwords.js';

export interface UserBootstrapStore {
  countUsers(): Promise<number>;
  createUser(username: string, passwordHash: string): Promise<number>;
}

export interface BootstrapResult {
  readonly created: boolean;
  readonly username: string;
  /** Set only when the password was generated here: shown once, to the operator. */
  readonly generatedPassword: string | null;
}

/**
 * On first start (no users), creates the administrator from the given credentials, or with a
 * generated password when none is given. Later starts change nothing.
 */
export async function bootstrapAdmin(
  store: UserBootstrapStore,
  given: { username?: string | undefined; password?: string | undefined },
): Promise<BootstrapResult> {
  const username = given.username || 'admin';
  if ((await store.countUsers()) > 0) return { created: false, username, generatedPassword: null };
  if (given.password !== undefined && given.password.length < 8)
    throw new Error('WGFLEET_ADMIN_PASSWORD must be at least 8 characters');
  const generated = given.password ? null : randomBytes(18).toString('base64url');
  await store.createUser(username, await hashPassword(given.password || (generated as string)));
  return { created: true, username, generatedPassword: generated };
}
