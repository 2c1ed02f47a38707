import { describe, expect, it } from 'vitest';
import { isUiRoute } from './ui-routes.js';

describe('isUiRoute', () => {
  it("matches the UI's routes, with a parameter segment and an optional trailing slash", () => {
    for (const p of [
      '/',
      '/signin',
      '/fleet',
      '/fleet/',
      '/fleet/node1',
      '/configurations',
      '/configurations/wg0',
      '/subscribers',
      '/subscribers/12',
    ])
      expect(isUiRoute(p), p).toBe(true);
  });
  it('refuses every other path', () => {
    for (const p of [
      '/health',
      '/healthz',
      '/docs',
      '/configurations//',
      '/configurations/wg0/x',
      '//fleet',
      '/fleet/x/y',
      '/fleets',
      '/subscribers/1/x',
      '',
    ])
      expect(isUiRoute(p), p).toBe(false);
  });
});
