import { describe, expect, it } from 'vitest';
import { leavesAnAdmin, type AdminSeat } from './accounts.js';

const users: AdminSeat[] = [
  { id: 1, role: 'admin', disabled: false },
  { id: 2, role: 'admin', disabled: true },
  { id: 3, role: 'operator', disabled: false },
];

describe('leavesAnAdmin', () => {
  it('refuses to delete, disable or demote the last enabled admin', () => {
    expect(leavesAnAdmin(users, { id: 1, deleted: true })).toBe(false);
    expect(leavesAnAdmin(users, { id: 1, disabled: true })).toBe(false);
    expect(leavesAnAdmin(users, { id: 1, role: 'viewer' })).toBe(false);
  });

  it('allows it when another enabled admin stays or becomes one', () => {
    expect(leavesAnAdmin(users, { id: 3, role: 'admin' })).toBe(true);
    expect(leavesAnAdmin(users, { id: 2, disabled: false })).toBe(true);
    expect(leavesAnAdmin(users, { id: 3, deleted: true })).toBe(true);
    const two = [...users, { id: 4, role: 'admin' as const, disabled: false }];
    expect(leavesAnAdmin(two, { id: 1, deleted: true })).toBe(true);
  });
});
