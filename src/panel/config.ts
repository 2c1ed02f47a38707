import { join, resolve } from 'node:path';
import { checkLogLevel } from '../shared/log-level.js';
import { parseHostPort, type HostPort } from '../shared/host-port.js';
import {
  DEFAULT_ENFORCEMENT_INTERVAL_SECONDS,
  INTERVAL_LIMITS,
} from './app/usage/interval-limits.js';

const { poll_interval_seconds: poll, enforcement_interval_seconds: enforcement } = INTERVAL_LIMITS;

/** Everything `wgfleet panel` runs with, after flags, environment and config file are merged. */
export interface PanelConfig {
  readonly listen: HostPort;
  readonly dataDir: string;
  readonly databaseUrl: string;
  /**
   * Default time between polls of every node; a value saved in the settings (Settings page,
   * `updatePanelSettings`) wins over it, at run time.
   */
  readonly pollIntervalMs: number;
  /**
   * Default longest wait between two enforcement passes (expiry, resets: what needs no traffic);
   * a value saved in the settings wins over it, at run time.
   */
  readonly enforcementIntervalMs: number;
  /** How many nodes are polled at the same time. */
  readonly pollConcurrency: number;
  readonly sessionTtlMs: number;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  readonly adminUser: string | undefined;
  readonly adminPassword: string | undefined;
}

export interface PanelOptionValues {
  listen: string;
  dataDir: string;
  database?: string | undefined;
  pollInterval: string;
  /** Seconds; default 30. */
  enforcementInterval?: string | undefined;
  pollConcurrency: string;
  sessionTtl: string;
  trustProxy?: boolean | undefined;
  logLevel: string;
}

function positive(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${option} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Checks the merged options; throws an Error naming the option at fault. */
export function resolvePanelConfig(
  v: PanelOptionValues,
  env: NodeJS.ProcessEnv = process.env,
): PanelConfig {
  const dataDir = resolve(v.dataDir);
  checkLogLevel(v.logLevel);
  return {
    listen: parseHostPort(v.listen, '--listen'),
    dataDir,
    databaseUrl: v.database || `sqlite:${join(dataDir, 'wgfleet.db')}`,
    pollIntervalMs: positive(v.pollInterval, '--poll-interval', poll.min, poll.max) * 1000,
    enforcementIntervalMs:
      positive(
        v.enforcementInterval ?? String(DEFAULT_ENFORCEMENT_INTERVAL_SECONDS),
        '--enforcement-interval',
        enforcement.min,
        enforcement.max,
      ) * 1000,
    pollConcurrency: positive(v.pollConcurrency, '--poll-concurrency', 1, 256),
    sessionTtlMs: positive(v.sessionTtl, '--session-ttl', 0.1, 24 * 365) * 3600_000,
    trustProxy: v.trustProxy === true,
    logLevel: v.logLevel,
    adminUser: env.WGFLEET_ADMIN_USER || undefined,
    adminPassword: env.WGFLEET_ADMIN_PASSWORD || undefined,
  };
}
