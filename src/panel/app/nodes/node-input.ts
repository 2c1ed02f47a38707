import { isIP } from 'node:net';
import { parseJoinString } from '../../../shared/join-string.js';
import { invalidInput } from '../errors.js';
import type { AgentEndpoint } from './fleet-agent.js';

/** Node names: they prefix configuration names (`<node>-<interface>`) that appear in URLs. */
export const NODE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$';
const NODE_NAME_RE = new RegExp(NODE_NAME_PATTERN);
const HOST_NAME_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Checks a node name; throws an `invalid_input` naming `field`. */
export function checkNodeName(name: string, field = 'name'): string {
  if (!NODE_NAME_RE.test(name))
    throw invalidInput(
      field,
      'use 1–32 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  return name;
}

/** Checks a public host (a DNS name or an IP address, no port); empty means none. */
export function checkPublicHost(host: string | null | undefined): string | null {
  if (host === null || host === undefined || host.trim() === '') return null;
  const h = host.trim();
  if (isIP(h) || HOST_NAME_RE.test(h)) return h;
  throw invalidInput('public_host', 'must be a host name or an IP address, without a port');
}

/** The agent endpoint a join string names; an `invalid_input` on `join` when malformed. */
export function endpointOf(join: string): AgentEndpoint {
  let info;
  try {
    info = parseJoinString(join);
  } catch (e) {
    throw invalidInput('join', (e as Error).message);
  }
  const host = isIP(info.host) === 6 ? `[${info.host}]` : info.host;
  return { url: `https://${host}:${info.port}`, token: info.token, fingerprint: info.fingerprint };
}
