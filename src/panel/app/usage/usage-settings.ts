import { DateTime } from 'luxon';
import { invalidInput } from '../errors.js';
import type { PolicySettings } from '../../domain/policy/types.js';

/** The usage area's panel-wide settings (stored in the `settings` table). */
export interface UsageSettings {
  /** IANA zone reset schedules are computed in. Default UTC. */
  readonly timezone: string;
  /** Days before expiry the one "expiring soon" warning is given. Default 7. */
  readonly expiry_warning_days: number;
  /** How long minute samples are kept, hours. Default 48. */
  readonly usage_minute_retention_hours: number;
  /** How long hour samples are kept, days. Default 90. */
  readonly usage_hour_retention_days: number;
  /** How long day samples are kept, days; null = forever (default). */
  readonly usage_day_retention_days: number | null;
}

export const DEFAULT_USAGE_SETTINGS: UsageSettings = {
  timezone: 'UTC',
  expiry_warning_days: 7,
  usage_minute_retention_hours: 48,
  usage_hour_retention_days: 90,
  usage_day_retention_days: null,
};

export const USAGE_SETTING_KEYS = Object.keys(DEFAULT_USAGE_SETTINGS) as (keyof UsageSettings)[];

/** Stored settings as text (the `settings` table). */
export interface SettingsStore {
  read(keys: readonly string[]): Promise<Map<string, string>>;
  write(values: ReadonlyMap<string, string>, now: Date): Promise<void>;
}

/** True for a zone luxon (and so the reset schedule) understands, e.g. `Europe/Berlin`. */
export function isValidTimeZone(zone: string): boolean {
  return zone.length <= 64 && DateTime.now().setZone(zone).isValid;
}

/** Checks a partial update; throws invalidInput naming the field. */
export function validateUsageSettings(patch: Partial<UsageSettings>): void {
  if (patch.timezone !== undefined && !isValidTimeZone(patch.timezone))
    throw invalidInput('timezone', `"${patch.timezone}" is not an IANA time zone`);
  const intIn = (field: keyof UsageSettings, v: unknown, min: number, max: number) => {
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw invalidInput(field, `must be an integer from ${min} to ${max}`);
  };
  intIn('expiry_warning_days', patch.expiry_warning_days, 0, 3650);
  intIn('usage_minute_retention_hours', patch.usage_minute_retention_hours, 1, 24 * 90);
  intIn('usage_hour_retention_days', patch.usage_hour_retention_days, 1, 3650);
  intIn('usage_day_retention_days', patch.usage_day_retention_days, 1, 36500);
}

/** The settings the policy takes. */
export function policySettingsOf(s: UsageSettings): PolicySettings {
  return { timezone: s.timezone, expiryWarningMs: s.expiry_warning_days * 24 * 3600 * 1000 };
}

/**
 * Reads and writes the usage settings, keeping a copy in memory (one panel process writes them;
 * `refresh` re-reads, e.g. on the policy tick, in case another process changed them).
 */
export class UsageSettingsService {
  #cached: UsageSettings | undefined;

  constructor(private readonly store: SettingsStore) {}

  async get(): Promise<UsageSettings> {
    return (this.#cached ??= await this.refresh());
  }

  async refresh(): Promise<UsageSettings> {
    const stored = await this.store.read(USAGE_SETTING_KEYS);
    const out: Record<string, unknown> = { ...DEFAULT_USAGE_SETTINGS };
    for (const key of USAGE_SETTING_KEYS) {
      const text = stored.get(key);
      if (text === undefined) continue;
      try {
        out[key] = JSON.parse(text) as unknown;
      } catch {
        // A value written by hand that does not parse: keep the default.
      }
    }
    const settings = out as unknown as UsageSettings;
    if (!isValidTimeZone(settings.timezone)) out.timezone = 'UTC';
    this.#cached = settings;
    return settings;
  }

  /** Validates and stores a partial update; returns the settings now in force. */
  async update(patch: Partial<UsageSettings>, now: Date): Promise<UsageSettings> {
    validateUsageSettings(patch);
    const values = new Map<string, string>();
    for (const key of USAGE_SETTING_KEYS)
      if (patch[key] !== undefined) values.set(key, JSON.stringify(patch[key]));
    await this.store.write(values, now);
    return this.refresh();
  }
}
