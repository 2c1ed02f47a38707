import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { isCidr } from '../shared/cidr.js';
import { checkLogLevel } from '../shared/log-level.js';
import { parseHostPort, type HostPort } from '../shared/host-port.js';
import { resolveHttpLimits, type HttpLimits, type HttpLimitValues } from '../shared/http-limits.js';
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
   * The key that seals node tokens and peer keys in the database (32 random bytes, 0600; made at
   * the first start). Kept outside the database: without it the stored secrets are unusable.
   */
  readonly secretKeyFile: string;
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
  /**
   * How long a node lease (and the cluster's job lease) lasts, in poll intervals (default 2):
   * a panel that dies or hangs loses its nodes that long after its last renewal.
   */
  readonly leaseIntervals: number;
  readonly sessionTtlMs: number;
  /**
   * Whose X-Forwarded-* headers to believe (client address, https): false (nobody), true
   * (anyone: only when nothing but the proxy can reach the panel), or proxy addresses/CIDRs.
   */
  readonly trustProxy: boolean | readonly string[];
  /** Serve HTTPS with these PEM files (re-read on SIGHUP); null: plain HTTP. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  /** Request, header and keep-alive timeouts, connection cap. */
  readonly http: HttpLimits;
  /** Per-peer series on /metrics (usage, limit, expiry of every peer); off for very big fleets. */
  readonly peerMetrics: boolean;
  readonly logLevel: string;
  readonly adminUser: string | undefined;
  readonly adminPassword: string | undefined;
}

export interface PanelOptionValues extends HttpLimitValues {
  listen: string;
  dataDir: string;
  database?: string | undefined;
  secretKeyFile?: string | undefined;
  pollInterval: string;
  /** Seconds; default 30. */
  enforcementInterval?: string | undefined;
  pollConcurrency: string;
  /** Poll intervals; default 2. */
  leaseIntervals?: string | undefined;
  sessionTtl: string;
  /** true (flag alone) or a comma-separated list of proxy addresses. */
  trustProxy?: boolean | string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** `on` (default) or `off`. */
  peerMetrics?: string | undefined;
  logLevel: string;
}

/** The secret key file a panel with this data folder uses by default. */
export const secretKeyFileIn = (dataDir: string) => join(dataDir, 'secret.key');

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `--trust-proxy`: alone, trust any proxy; else a list of addresses, CIDRs or proxy-addr names. */
function trustProxyOf(v: boolean | string | undefined): boolean | string[] {
  if (v === undefined || v === false) return false;
  if (v === true) return true;
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of list)
    if (!isIP(a) && !isCidr(a) && !PROXY_NAMES.has(a))
      throw new Error(
        `--trust-proxy: "${a}" is not an address, a CIDR or loopback|linklocal|uniquelocal`,
      );
  if (list.length === 0) throw new Error('--trust-proxy: give proxy addresses, or the flag alone');
  return list;
}

function positive(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${option} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

function onOff(value: string | undefined, option: string): boolean {
  if (value === undefined || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`${option} must be on or off, got "${value}"`);
}

function tlsOf(cert: string | undefined, key: string | undefined): PanelConfig['tls'] {
  if (!cert && !key) return null;
  if (!cert || !key) throw new Error('--tls-cert and --tls-key go together: give both or neither');
  return { certFile: resolve(cert), keyFile: resolve(key) };
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
    secretKeyFile: v.secretKeyFile ? resolve(v.secretKeyFile) : secretKeyFileIn(dataDir),
    pollIntervalMs: positive(v.pollInterval, '--poll-interval', poll.min, poll.max) * 1000,
    enforcementIntervalMs:
      positive(
        v.enforcementInterval ?? String(DEFAULT_ENFORCEMENT_INTERVAL_SECONDS),
        '--enforcement-interval',
        enforcement.min,
        enforcement.max,
      ) * 1000,
    pollConcurrency: positive(v.pollConcurrency, '--poll-concurrency', 1, 256),
    leaseIntervals: positive(v.leaseIntervals ?? '2', '--lease-intervals', 1.5, 10),
    sessionTtlMs: positive(v.sessionTtl, '--session-ttl', 0.1, 24 * 365) * 3600_000,
    trustProxy: trustProxyOf(v.trustProxy),
    tls: tlsOf(v.tlsCert, v.tlsKey),
    http: resolveHttpLimits(v),
    peerMetrics: onOff(v.peerMetrics, '--peer-metrics'),
    logLevel: v.logLevel,
    adminUser: env.WGFLEET_ADMIN_USER || undefined,
    adminPassword: env.WGFLEET_ADMIN_PASSWORD || undefined,
  };
}
