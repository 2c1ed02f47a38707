import { isIP } from 'node:net';
import { parseCidr } from '../../../shared/cidr.js';
import { isWgKey, wgPublicKey } from '../../../shared/keys.js';
import { invalidInput } from '../errors.js';
import { splitList } from './peer-addresses.js';

// Values end up in client config files: anything that could break a line is refused.
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;

/** `DNS`: comma-separated IP addresses or search domains; empty → none. */
export function parseDns(value: string): string | null {
  const items = splitList(value);
  if (items.length === 0) return null;
  for (const item of items)
    if (isIP(item) === 0 && !HOSTNAME.test(item))
      throw invalidInput('DNS', `"${item}" is not an IP address or domain name`);
  const out = items.join(', ');
  if (out.length > 255) throw invalidInput('DNS', 'is longer than 255 characters');
  return out;
}

/** `endpoint_allowed_ip`: the client's AllowedIPs, comma-separated CIDRs. */
export function parseEndpointAllowedIp(value: string): string {
  const items = splitList(value);
  if (items.length === 0) throw invalidInput('endpoint_allowed_ip', 'give at least one CIDR');
  for (const item of items)
    if (!parseCidr(item) && isIP(item) === 0)
      throw invalidInput('endpoint_allowed_ip', `"${item}" is not a CIDR`);
  const out = items.join(', ');
  if (out.length > 512) throw invalidInput('endpoint_allowed_ip', 'is too long');
  return out;
}

/** A WireGuard key field (private, public or preshared). */
export function parseKey(field: string, value: string): string {
  if (!isWgKey(value))
    throw invalidInput(field, 'is not a WireGuard key (44 characters of base64)');
  return value;
}

/** Checks that `privateKey` belongs to `publicKey`. */
export function checkKeyPair(privateKey: string, publicKey: string): void {
  if (wgPublicKey(privateKey) !== publicKey)
    throw invalidInput('private_key', 'does not match the public key');
}
