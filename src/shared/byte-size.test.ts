import { describe, expect, it } from 'vitest';
import { ByteSizeError, formatBytes, parseByteSize } from './byte-size.js';

describe('byte sizes', () => {
  it('reads integers and units', () => {
    expect(parseByteSize(10737418240)).toBe(10737418240n);
    expect(parseByteSize('10GiB')).toBe(10737418240n);
    expect(parseByteSize('500MB')).toBe(500_000_000n);
    expect(parseByteSize('500 mb')).toBe(500_000_000n);
    expect(parseByteSize('1.5KiB')).toBe(1536n);
    expect(parseByteSize('1TiB')).toBe(1099511627776n);
    expect(parseByteSize('123')).toBe(123n);
    expect(parseByteSize(0)).toBe(0n);
  });

  it('refuses what is not a size, with a reason', () => {
    for (const bad of [
      -1,
      1.5,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      'ten',
      '10 parsecs',
      '-5GB',
      '9PiB',
    ])
      expect(() => parseByteSize(bad as never), String(bad)).toThrow(ByteSizeError);
    expect(() => parseByteSize(2 ** 53)).toThrow(/2\^53/);
    expect(() => parseByteSize('10XB')).toThrow(/unknown unit/);
  });

  it('formats with binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(10737418240n)).toBe('10.0 GiB');
  });
});
