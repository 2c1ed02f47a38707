import { invalidInput, PanelError } from '../errors.js';
import { parseDns, parseEndpointAllowedIp } from '../peers/peer-fields.js';
import type { PeerDefaults } from './configuration-store.js';

/** What updateWireguardConfiguration takes (WGDashboard's names). */
export interface PeerDefaultsInput {
  readonly DNS?: string | null;
  readonly EndpointAllowedIp?: string | null;
  readonly Keepalive?: number | null;
  readonly ListenPort?: number | string;
  readonly Address?: string;
}

/** What the configuration is now, for the fields that may only be sent back unchanged. */
export interface LiveInterface {
  readonly listenPort: number;
  readonly address: string;
}

/** Re-throws a field error under the request's own field name. */
function as<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PanelError && e.code === 'invalid_input')
      throw invalidInput(field, e.message.replace(/^[^:]+: /, ''));
    throw e;
  }
}
const sameAddresses = (a: string, b: string) =>
  a
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .sort()
    .join(',') ===
  b
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .sort()
    .join(',');

/**
 * Checks an update of a configuration: the defaults new peers get (null or "" clears DNS and the
 * client AllowedIPs; null or 0 turns the keepalive off). `ListenPort` and `Address` may only come
 * back as they are: the agent cannot change them on a live interface, so a change is refused
 * rather than stored and never applied. Pure.
 */
export function parsePeerDefaults(input: PeerDefaultsInput, live: LiveInterface): PeerDefaults {
  if (input.ListenPort !== undefined && Number(input.ListenPort) !== live.listenPort)
    throw invalidInput(
      'ListenPort',
      `cannot be changed on a running interface yet (it is ${live.listenPort}): create a configuration on the new port and move the peers`,
    );
  if (input.Address !== undefined && !sameAddresses(input.Address, live.address))
    throw invalidInput(
      'Address',
      `cannot be changed on a running interface yet (it is ${live.address}): create a configuration with the new address and move the peers`,
    );
  const out: { -readonly [K in keyof PeerDefaults]: PeerDefaults[K] } = {};
  if (input.DNS !== undefined)
    out.dns = input.DNS ? as('DNS', () => parseDns(input.DNS ?? '')) : null;
  if (input.EndpointAllowedIp !== undefined)
    out.endpointAllowedIp = input.EndpointAllowedIp?.trim()
      ? as('EndpointAllowedIp', () => parseEndpointAllowedIp(input.EndpointAllowedIp ?? ''))
      : null;
  if (input.Keepalive !== undefined) {
    const k = input.Keepalive;
    if (k !== null && (!Number.isInteger(k) || k < 0 || k > 65535))
      throw invalidInput('Keepalive', 'must be an integer from 0 to 65535 (0 = off)');
    out.keepalive = k || null;
  }
  return out;
}
