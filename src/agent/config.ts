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
  /**
   * Where `agent init` said the agent listens (its join string names it), when that differs from
   * `listen` (a flag, the environment or the config file overrode it): the join string needs
   * re-pinning. Null when they agree or init recorded nothing.
   */
  readonly initListen: HostPort | null;
}

/** The range of `--read-interval`, in seconds. */
export const READ_INTERVAL_SECONDS = { min: 0.5, max: 10, default: 1 } as const;

/** Where the agent listens when neither an option nor `agent init` says. */
export const DEFAULT_AGENT_LISTEN = '0.0.0.0:8787';

/** Raw option values as the CLI collected them (strings and booleans). */
export interface AgentOptionValues extends HttpLimitValues {
  stateDir: string;
  /** Unset: what `agent init` recorded, else DEFAULT_AGENT_LISTEN. */
  listen?: string | undefined;
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

/**
 * Checks the merged options; throws an Error naming the option at fault. `recordedListen` is
 * the address `agent init` recorded in the state folder, if any.
 */
export function resolveAgentConfig(
  v: AgentOptionValues,
  recordedListen: string | null = null,
): AgentConfig {
  const listen = parseHostPort(v.listen ?? recordedListen ?? DEFAULT_AGENT_LISTEN, '--listen');
  const recorded = recordedListen === null ? null : parseHostPort(recordedListen, 'init.json');
  const initListen =
    recorded && (recorded.host !== listen.host || recorded.port !== listen.port) ? recorded : null;
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
    initListen,
  };
}
