import { isIP } from 'node:net';
import { parseByteSize, ByteSizeError } from '../../../shared/byte-size.js';
import { parseCidr } from '../../../shared/cidr.js';
import { isWgKey, wgPublicKey } from '../../../shared/keys.js';
import { parseUtcDate } from '../../../shared/utc-date.js';
import type { ResetSchedule } from '../../domain/vocabulary.js';
import type { PeerChanges } from './peer-record.js';
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

/** The seed's quota fields and the reset schedule, as accepted by addPeers and updatePeerSettings. */
export interface QuotaFieldsInput {
  readonly traffic_limit?: number | string | null;
  readonly expiry_date?: string | null;
  readonly traffic_warn_threshold?: number;
  readonly reset_schedule?: ResetSchedule;
  readonly reset_anchor?: number | null;
}

/** Parses a traffic limit: integer bytes up to 2^53 − 1 or a size with a unit; null clears. */
export function parseTrafficLimit(value: number | string | null): bigint | null {
  if (value === null) return null;
  try {
    return parseByteSize(value);
  } catch (err) {
    if (err instanceof ByteSizeError) throw invalidInput('traffic_limit', err.message);
    throw err;
  }
}

/** Parses an expiry date (ISO 8601; no offset = UTC); null clears. */
export function parseExpiryDate(value: string | null): Date | null {
  if (value === null || value === '') return null;
  const d = parseUtcDate(value);
  if (!d) throw invalidInput('expiry_date', `"${value}" is not an ISO 8601 date`);
  return d;
}

/**
 * The quota columns to write, from the fields that were given. `current` is the schedule and
 * anchor stored now (for an update that changes only one of them).
 */
export function quotaPatch(
  input: QuotaFieldsInput,
  current: { schedule: ResetSchedule; anchor: number | null } = { schedule: 'none', anchor: null },
): PeerChanges {
  const patch: PeerChanges = {};
  if (input.traffic_limit !== undefined)
    patch.traffic_limit = parseTrafficLimit(input.traffic_limit);
  if (input.expiry_date !== undefined) patch.expiry_date = parseExpiryDate(input.expiry_date);
  if (input.traffic_warn_threshold !== undefined) {
    const t = input.traffic_warn_threshold;
    if (!Number.isInteger(t) || t < 1 || t > 100)
      throw invalidInput('traffic_warn_threshold', 'must be an integer from 1 to 100');
    patch.traffic_warn_threshold = t;
  }
  if (input.reset_schedule !== undefined || input.reset_anchor !== undefined) {
    const schedule = input.reset_schedule ?? current.schedule;
    let anchor = input.reset_anchor !== undefined ? input.reset_anchor : current.anchor;
    if (schedule === 'none' || schedule === 'daily') {
      if (input.reset_anchor !== undefined && input.reset_anchor !== null)
        throw invalidInput('reset_anchor', `must be null for reset_schedule "${schedule}"`);
      anchor = null;
    } else if (anchor !== null) {
      const max = schedule === 'weekly' ? 7 : 31;
      if (!Number.isInteger(anchor) || anchor < 1 || anchor > max)
        throw invalidInput(
          'reset_anchor',
          schedule === 'weekly'
            ? 'must be an ISO weekday from 1 (Monday) to 7 (Sunday)'
            : 'must be a day of the month from 1 to 31 (31 = the last day)',
        );
    }
    patch.reset_schedule = schedule;
    patch.reset_anchor = anchor;
  }
  return patch;
}
