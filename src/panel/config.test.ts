import { describe, expect, it } from 'vitest';
import { resolvePanelConfig, type PanelOptionValues } from './config.js';

const base: PanelOptionValues = {
  listen: '127.0.0.1:10086',
  dataDir: '/tmp/wgfleet',
  pollInterval: '10',
  pollConcurrency: '16',
  sessionTtl: '24',
  logLevel: 'info',
};

describe('resolvePanelConfig', () => {
  it('takes the poll and enforcement intervals in seconds (the settings’ defaults)', () => {
    expect(resolvePanelConfig(base, {})).toMatchObject({
      pollIntervalMs: 10_000,
      enforcementIntervalMs: 30_000,
    });
    expect(
      resolvePanelConfig({ ...base, pollInterval: '2.5', enforcementInterval: '90' }, {}),
    ).toMatchObject({ pollIntervalMs: 2500, enforcementIntervalMs: 90_000 });
  });

  it('names the interval option out of range', () => {
    expect(() => resolvePanelConfig({ ...base, pollInterval: '0' }, {})).toThrow(
      /--poll-interval must be a number from 1 to 3600/,
    );
    for (const bad of ['4', '3601', 'often'])
      expect(() => resolvePanelConfig({ ...base, enforcementInterval: bad }, {})).toThrow(
        /--enforcement-interval must be a number from 5 to 3600/,
      );
  });

  it('takes --peer-metrics on (the default) or off, and names it otherwise', () => {
    expect(resolvePanelConfig(base, {}).peerMetrics).toBe(true);
    expect(resolvePanelConfig({ ...base, peerMetrics: 'on' }, {}).peerMetrics).toBe(true);
    expect(resolvePanelConfig({ ...base, peerMetrics: 'off' }, {}).peerMetrics).toBe(false);
    expect(() => resolvePanelConfig({ ...base, peerMetrics: 'no' }, {})).toThrow(
      '--peer-metrics must be on or off, got "no"',
    );
  });
});
