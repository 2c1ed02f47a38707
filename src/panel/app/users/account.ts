import type { Principal } from '../auth/principal.js';
import { invalidInput, notFound } from '../errors.js';
import type { UserRecord } from './ports.js';
import { checkPassword, checkUsername, type UsersDeps } from './users-service.js';

export interface AccountDeps extends UsersDeps {
  /** Checks the caller's own password (throttled like a sign-in); throws naming `field`. */
  readonly checkOwnPassword: (
    username: string,
    password: string,
    field: string,
    clientIp: string,
  ) => Promise<void>;
}

/** Who am I: the user, and for a reseller what it has handed out. */
export async function getAccount(deps: UsersDeps, who: Principal) {
  const user = await deps.store.byId(who.userId);
  if (!user) throw notFound('user', who.userId);
  const used = user.role === 'reseller' ? await deps.store.resellerUsage(user.id) : null;
  return { user, used };
}

/**
 * Changes one's own password or username, after the current password: a new password ends the
 * user's other sessions (the caller's, `keepTokenHash`, stays).
 */
export async function updateAccount(
  deps: AccountDeps,
  who: Principal,
  input: { current_password: string; password?: string; username?: string },
  clientIp: string,
  keepTokenHash?: string,
): Promise<UserRecord> {
  if (input.password === undefined && input.username === undefined)
    throw invalidInput('password', 'give a new password or username');
  if (input.password !== undefined) checkPassword(input.password);
  if (input.username !== undefined) checkUsername(input.username);
  await deps.checkOwnPassword(who.username, input.current_password, 'current_password', clientIp);
  const passwordHash =
    input.password === undefined ? undefined : await deps.hashPassword(input.password);
  await deps.store.transaction(async (w) => {
    await w.update(
      who.userId,
      {
        ...(input.username !== undefined && { username: input.username }),
        ...(passwordHash !== undefined && { passwordHash }),
      },
      deps.now(),
    );
    if (passwordHash !== undefined) await w.endSessions(who.userId, keepTokenHash);
  });
  return (await deps.store.byId(who.userId)) as UserRecord;
}
