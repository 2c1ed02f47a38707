import type { AuditState } from './audit-entry.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The fields that differ between two states, as a before and an after holding only those (nested
 * objects, such as peers keyed by public key, compared field by field). A state that is null (the
 * thing did not exist, or no longer does) is kept whole.
 */
export function changedFields(
  before: AuditState | null,
  after: AuditState | null,
): { before: AuditState | null; after: AuditState | null } {
  if (before === null || after === null) return { before, after };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const x = before[key];
    const y = after[key];
    if (same(x, y)) continue;
    if (isObject(x) && isObject(y)) {
      const inner = changedFields(x, y);
      b[key] = inner.before;
      a[key] = inner.after;
    } else {
      if (key in before) b[key] = x;
      if (key in after) a[key] = y;
    }
  }
  return { before: b, after: a };
}
