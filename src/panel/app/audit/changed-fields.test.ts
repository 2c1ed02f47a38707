import { describe, expect, it } from 'vitest';
import { changedFields } from './changed-fields.js';

describe('changedFields', () => {
  it('keeps only what changed, field by field, in nested states', () => {
    const before = { k1: { name: 'a', dns: '1.1.1.1', mtu: null }, k2: { name: 'b', mtu: 1420 } };
    const after = { k1: { name: 'c', dns: '1.1.1.1', mtu: null }, k2: { name: 'b', mtu: 1420 } };
    expect(changedFields(before, after)).toEqual({
      before: { k1: { name: 'a' } },
      after: { k1: { name: 'c' } },
    });
  });

  it('names a field that appeared or went, and compares arrays whole', () => {
    expect(changedFields({ a: 1, list: [1, 2] }, { b: 2, list: [1, 2, 3] })).toEqual({
      before: { a: 1, list: [1, 2] },
      after: { b: 2, list: [1, 2, 3] },
    });
  });

  it('keeps a creation and a deletion whole, and nothing of no change', () => {
    expect(changedFields(null, { a: 1 })).toEqual({ before: null, after: { a: 1 } });
    expect(changedFields({ a: 1 }, null)).toEqual({ before: { a: 1 }, after: null });
    expect(changedFields({ a: 1 }, { a: 1 })).toEqual({ before: {}, after: {} });
  });
});
