import { isInterfaceName } from '../shared/wg-names.js';
import { checkLogLevel } from '../shared/log-level.js';
import { isLoopbackHost, parseHostPort, type HostPort } from '../shared/host-port.js';
import { resolveHttpLimits, type HttpLimits, type HttpLimitValues } from '../shared/http-limits.js';

/** Everything `wgfleet agent` runs with, after flags, environment and config file are merged. */
export interface AgentConfig {
  readonly stateDir: string;
  readonly listen: HostPort;
  readonly confDir: string;
  readonly interfaces: ReadonlySet<string> | null;
  readonly insecureHttp: boolean;
  readonly allowHooks: boolean;
  readonly wgBin: string;
  readonly wgQuickBin: string;
  readonly logLevel: string;
  /** Milliseconds between readings of the counters (the node's ledger and its enforcement). */
  readonly readIntervalMs: number;
  /** Request, header and keep-alive timeouts, connection cap. */
  readonly http: HttpLimits;
}

/** The range of `--read-interval`, in seconds. */
export const READ_INTERVAL_SECONDS = { min: 0.5, max: 10, default: 1 } as const;

/** Raw option values as the CLI collected them (strings and booleans). */
export interface AgentOptionValues extends HttpLimitValues {
  stateDir: string;
  listen: string;
  confDir: string;
  interfaces?: string | undefined;
  insecureHttp?: boolean | undefined;
  allowHooks?: boolean | undefined;
  wgBin: string;
  wgQuickBin: string;
  logLevel: string;
  readInterval?: string | number | undefined;
}

function readIntervalMs(v: string | number | undefined): number {
  const { min, max } = READ_INTERVAL_SECONDS;
  const text = String(v ?? READ_INTERVAL_SECONDS.default); // a config file may give a number
  const s = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!(s >= min && s <= max))
    throw new Error(`--read-interval: must be seconds from ${min} to ${max}, got "${text}"`);
  return Math.round(s * 1000);
}

/** Checks the merged options; throws an Error naming the option at fault. */
export function resolveAgentConfig(v: AgentOptionValues): AgentConfig {
  const listen = parseHostPort(v.listen, '--listen');
  const insecureHttp = v.insecureHttp === true;
  if (insecureHttp && !isLoopbackHost(listen.host))
    throw new Error(
      '--insecure-http is allowed only on a loopback --listen address (127.0.0.1, ::1)',
    );
  let interfaces: Set<string> | null = null;
  if (v.interfaces && v.interfaces.trim() !== '') {
    interfaces = new Set(
      v.interfaces
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
    for (const name of interfaces)
      if (!isInterfaceName(name))
        throw new Error(`--interfaces: "${name}" is not a valid interface name`);
  }
  checkLogLevel(v.logLevel);
  return {
    stateDir: v.stateDir,
    listen,
    confDir: v.confDir,
    interfaces,
    insecureHttp,
    allowHooks: v.allowHooks === true,
    wgBin: v.wgBin,
    wgQuickBin: v.wgQuickBin,
    logLevel: v.logLevel,
    readIntervalMs: readIntervalMs(v.readInterval),
    http: resolveHttpLimits(v),
  };
}
