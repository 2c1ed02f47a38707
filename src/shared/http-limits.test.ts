import { describe, expect, it } from 'vitest';
import { nodeServerOptions, resolveHttpLimits } from './http-limits.js';

describe('resolveHttpLimits', () => {
  it('defaults to 30 s per request, 10 s for headers, 5 s keep-alive, 1024 connections', () => {
    expect(resolveHttpLimits({})).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1024,
    });
  });
  it('refuses bad values, naming the option', () => {
    expect(() => resolveHttpLimits({ requestTimeout: 'x' })).toThrow(/--request-timeout/);
    expect(() => resolveHttpLimits({ maxConnections: '0' })).toThrow(/--max-connections/);
    expect(() => resolveHttpLimits({ keepAliveTimeout: '' })).toThrow(/--keep-alive-timeout/);
    expect(() => resolveHttpLimits({ requestTimeout: '5', headersTimeout: '10' })).toThrow(
      /--headers-timeout must not be longer/,
    );
  });
  it('checks the deadlines often enough to cut within a quarter of the shorter one', () => {
    const o = nodeServerOptions(resolveHttpLimits({ requestTimeout: '1', headersTimeout: '1' }));
    expect(o.connectionsCheckingInterval).toBe(250);
    expect(nodeServerOptions(resolveHttpLimits({})).connectionsCheckingInterval).toBe(2500);
  });
});
