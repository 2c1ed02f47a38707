import { describe, expect, it } from 'vitest';
import {
  classifyDeclaredType,
  converterFor,
  parseStoredInstant,
  toSqliteParameter,
} from './sqlite-value-mapping.js';

describe('classifyDeclaredType', () => {
  it('maps declared types to value kinds', () => {
    expect(classifyDeclaredType('bigint')).toBe('bigint');
    expect(classifyDeclaredType('BIGINT')).toBe('bigint');
    expect(classifyDeclaredType('INTEGER')).toBe('integer');
    expect(classifyDeclaredType('boolean')).toBe('boolean');
    expect(classifyDeclaredType('datetime')).toBe('timestamp');
    expect(classifyDeclaredType('varchar(64)')).toBe('other');
    expect(classifyDeclaredType(null)).toBe('other');
  });
});

describe('converterFor', () => {
  it('narrows integers to numbers, refusing unsafe ones', () => {
    const toNumber = converterFor('integer', 'peers.mtu');
    expect(toNumber?.(1420n)).toBe(1420);
    expect(toNumber?.(null)).toBeNull();
    expect(() => toNumber?.(2n ** 53n)).toThrow(/peers.mtu/);
  });

  it('reads booleans and instants', () => {
    expect(converterFor('boolean', 'b')?.(0n)).toBe(false);
    expect(converterFor('boolean', 'b')?.(1n)).toBe(true);
    expect(converterFor('timestamp', 't')?.('2030-01-02T03:04:05.006Z')).toEqual(
      new Date('2030-01-02T03:04:05.006Z'),
    );
  });

  it('leaves bigint columns and expressions alone', () => {
    expect(converterFor('bigint', 'x')).toBeUndefined();
    expect(converterFor('other', 'x')).toBeUndefined();
  });
});

describe('parseStoredInstant', () => {
  it('reads text without an offset as UTC', () => {
    expect(parseStoredInstant('2030-01-02 03:04:05', 't').toISOString()).toBe(
      '2030-01-02T03:04:05.000Z',
    );
    expect(parseStoredInstant('2030-01-02T03:04:05+02:00', 't').toISOString()).toBe(
      '2030-01-02T01:04:05.000Z',
    );
    expect(() => parseStoredInstant('soon', 't')).toThrow(/no valid instant/);
  });
});

describe('toSqliteParameter', () => {
  it('binds dates as sortable UTC text, booleans and integers as INTEGER', () => {
    expect(toSqliteParameter(new Date('2030-01-02T03:04:05.006Z'))).toBe(
      '2030-01-02T03:04:05.006Z',
    );
    expect(toSqliteParameter(true)).toBe(1n);
    expect(toSqliteParameter(7)).toBe(7n);
    expect(toSqliteParameter(1.5)).toBe(1.5);
    expect(toSqliteParameter('x')).toBe('x');
    expect(() => toSqliteParameter(new Date('nope'))).toThrow(/invalid Date/);
  });
});
