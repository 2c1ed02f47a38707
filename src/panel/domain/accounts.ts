import type { Role } from './vocabulary.js';

/** The least a password may be (the first admin's too). */
export const MIN_PASSWORD_LENGTH = 8;

/** A user as the last-admin rule sees it. */
export interface AdminSeat {
  readonly id: number;
  readonly role: Role;
  readonly disabled: boolean;
}

/** A change to one user: its new role or disabled flag, or its deletion. */
export type UserChange =
  | { readonly id: number; readonly deleted: true }
  | { readonly id: number; readonly role?: Role; readonly disabled?: boolean };

/**
 * Whether at least one enabled admin is left after the change: the panel never locks itself
 * out (the last admin cannot be deleted, disabled or given another role).
 */
export function leavesAnAdmin(users: readonly AdminSeat[], change: UserChange): boolean {
  return users.some((u) => {
    if (u.id !== change.id) return u.role === 'admin' && !u.disabled;
    if ('deleted' in change) return false;
    return (change.role ?? u.role) === 'admin' && !(change.disabled ?? u.disabled);
  });
}

/** Usernames: 1–64 letters, digits and `._@-` (they appear in logs and the audit). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
