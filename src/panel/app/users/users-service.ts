import {
  leavesAnAdmin,
  MIN_PASSWORD_LENGTH,
  USERNAME_PATTERN,
  type UserChange,
} from '../../domain/accounts.js';
import type { Role } from '../../domain/vocabulary.js';
import { conflict, invalidInput, notFound, PanelError } from '../errors.js';
import type { ResellerLimits, UserRecord, UserStore, UserWriter } from './ports.js';
import {
  NO_LIMITS,
  parseResellerLimits,
  type ResellerLimitsInput,
} from './reseller-limits-input.js';

export interface UsersDeps {
  readonly store: UserStore;
  readonly hashPassword: (password: string) => Promise<string>;
  readonly now: () => Date;
}

/** Refuses a username or password the panel does not take (the field named). */
export function checkUsername(username: string, field = 'username'): void {
  if (!USERNAME_PATTERN.test(username))
    throw invalidInput(field, '1 to 64 letters, digits or . _ @ -');
}
export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalidInput(field, `must be at least ${MIN_PASSWORD_LENGTH} characters`);
}

async function limitsFor(
  deps: UsersDeps,
  role: Role,
  input: ResellerLimitsInput | undefined,
  base: ResellerLimits | null,
): Promise<ResellerLimits | null> {
  if (role !== 'reseller') {
    if (input !== undefined) throw invalidInput('limits', 'only a reseller has limits');
    return null;
  }
  const limits = parseResellerLimits(input ?? {}, base ?? NO_LIMITS);
  const unknown = await deps.store.unknownConfigurations(limits.configurations);
  if (unknown.length > 0) {
    const i = limits.configurations.indexOf(unknown[0] as string);
    const field = `limits.configurations[${i}]`;
    throw new PanelError(
      'not_found',
      `${field}: configuration "${unknown[0]}" not found`,
      unknown[0],
      field,
    );
  }
  return limits;
}

async function checkedSeats(w: UserWriter, change: UserChange): Promise<void> {
  const seats = await w.lockSeats();
  if (!seats.some((s) => s.id === change.id)) throw notFound('user', change.id);
  if (!leavesAnAdmin(seats, change))
    throw conflict(
      'the last enabled admin cannot be deleted, disabled or given another role',
      String(change.id),
    );
}

/** Creates a user (a reseller with its limits). */
export async function addUser(
  deps: UsersDeps,
  input: { username: string; password: string; role: Role; limits?: ResellerLimitsInput },
): Promise<UserRecord> {
  checkUsername(input.username);
  checkPassword(input.password);
  const limits = await limitsFor(deps, input.role, input.limits, null);
  const passwordHash = await deps.hashPassword(input.password);
  const id = await deps.store.transaction(async (w) => {
    const id = await w.insert({ username: input.username, passwordHash, role: input.role });
    if (limits) await w.setLimits(id, limits);
    return id;
  });
  return (await deps.store.byId(id)) as UserRecord;
}

/**
 * Changes a user: role, disabled, password (an admin's reset: its sessions end), limits
 * (absent fields kept). Never leaves the panel without an enabled admin.
 */
export async function updateUser(
  deps: UsersDeps,
  input: {
    id: number;
    role?: Role;
    disabled?: boolean;
    password?: string;
    limits?: ResellerLimitsInput;
  },
): Promise<UserRecord> {
  const current = await deps.store.byId(input.id);
  if (!current) throw notFound('user', input.id);
  if (input.password !== undefined) checkPassword(input.password);
  const role = input.role ?? current.role;
  const limits = await limitsFor(deps, role, input.limits, current.limits);
  const passwordHash =
    input.password === undefined ? undefined : await deps.hashPassword(input.password);
  await deps.store.transaction(async (w) => {
    await checkedSeats(w, {
      id: input.id,
      ...(input.role !== undefined && { role: input.role }),
      ...(input.disabled !== undefined && { disabled: input.disabled }),
    });
    await w.update(
      input.id,
      {
        ...(input.role !== undefined && { role: input.role }),
        ...(input.disabled !== undefined && { disabled: input.disabled }),
        ...(passwordHash !== undefined && { passwordHash }),
      },
      deps.now(),
    );
    await w.setLimits(input.id, limits);
    if (passwordHash !== undefined || input.disabled === true) await w.endSessions(input.id);
  });
  return (await deps.store.byId(input.id)) as UserRecord;
}

/** Deletes a user (its sessions and keys with it), never the last enabled admin. */
export async function deleteUser(deps: UsersDeps, id: number): Promise<void> {
  await deps.store.transaction(async (w) => {
    await checkedSeats(w, { id, deleted: true });
    await w.delete(id);
  });
}
