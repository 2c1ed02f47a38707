import { invalidInput } from '../errors.js';
import type { ResellerLimits } from './ports.js';

/** `limits` as sent: every field optional (absent: kept, or not limited for a new reseller). */
export interface ResellerLimitsInput {
  readonly max_subscribers?: number | null;
  readonly max_traffic_bytes?: number | string | null;
  readonly max_expiry_days?: number | null;
  readonly configurations?: readonly string[];
  readonly balance_bytes?: number | string | null;
  readonly balance_days?: number | null;
}

/** No limit at all, allowed on no configuration: a new reseller's start. */
export const NO_LIMITS: ResellerLimits = {
  maxSubscribers: null,
  maxTrafficBytes: null,
  maxExpiryDays: null,
  configurations: [],
  balanceBytes: null,
  balanceDays: null,
};

const bytes = (field: string, v: number | string | null | undefined, kept: bigint | null) => {
  if (v === undefined) return kept;
  if (v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw invalidInput(field, 'must be a whole number ≥ 0');
    return BigInt(v);
  }
  if (!/^[0-9]{1,20}$/.test(v)) throw invalidInput(field, 'must be a whole number of bytes ≥ 0');
  return BigInt(v);
};

/** Applies `input` over `base`; errors name `limits.<field>`. */
export function parseResellerLimits(
  input: ResellerLimitsInput,
  base: ResellerLimits,
): ResellerLimits {
  const configurations = input.configurations ?? base.configurations;
  const seen = new Set<string>();
  for (const [i, name] of configurations.entries()) {
    if (name.length === 0) throw invalidInput(`limits.configurations[${i}]`, 'must not be empty');
    if (seen.has(name))
      throw invalidInput(`limits.configurations[${i}]`, `"${name}" is named twice`);
    seen.add(name);
  }
  return {
    maxSubscribers:
      input.max_subscribers === undefined ? base.maxSubscribers : input.max_subscribers,
    maxTrafficBytes: bytes(
      'limits.max_traffic_bytes',
      input.max_traffic_bytes,
      base.maxTrafficBytes,
    ),
    maxExpiryDays: input.max_expiry_days === undefined ? base.maxExpiryDays : input.max_expiry_days,
    configurations: [...configurations],
    balanceBytes: bytes('limits.balance_bytes', input.balance_bytes, base.balanceBytes),
    balanceDays: input.balance_days === undefined ? base.balanceDays : input.balance_days,
  };
}
