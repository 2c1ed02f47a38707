import { DateTime } from 'luxon';
import { invalidInput } from '../errors.js';
import type { PolicySettings } from '../../domain/policy/types.js';
import { DEFAULT_ENFORCEMENT_INTERVAL_SECONDS, INTERVAL_LIMITS } from '../usage/interval-limits.js';

/** The panel's settings (stored in the `settings` table): time zone, retention, intervals. */
export interface PanelSettings {
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
  /**
   * Seconds between two polls of every node (INTERVAL_LIMITS). Default: `--poll-interval`; a
   * saved change re-plans the next poll at once (`onChange`).
   */
  readonly poll_interval_seconds: number;
  /**
   * Longest wait, seconds, between two enforcement passes without traffic (expiry, resets; the
   * policy also runs after every poll). Default: `--enforcement-interval`.
   */
  readonly enforcement_interval_seconds: number;
}

export const DEFAULT_PANEL_SETTINGS: PanelSettings = {
  timezone: 'UTC',
  expiry_warning_days: 7,
  usage_minute_retention_hours: 48,
  usage_hour_retention_days: 90,
  usage_day_retention_days: null,
  poll_interval_seconds: 10,
  enforcement_interval_seconds: DEFAULT_ENFORCEMENT_INTERVAL_SECONDS,
};

/** The defaults with the intervals the panel was started with (flags or environment). */
export function panelSettingsDefaults(start: {
  readonly pollIntervalMs: number;
  readonly enforcementIntervalMs: number;
}): PanelSettings {
  return {
    ...DEFAULT_PANEL_SETTINGS,
    poll_interval_seconds: start.pollIntervalMs / 1000,
    enforcement_interval_seconds: start.enforcementIntervalMs / 1000,
  };
}

export const PANEL_SETTING_KEYS = Object.keys(DEFAULT_PANEL_SETTINGS) as (keyof PanelSettings)[];

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
export function validatePanelSettings(patch: Partial<PanelSettings>): void {
  if (patch.timezone !== undefined && !isValidTimeZone(patch.timezone))
    throw invalidInput('timezone', `"${patch.timezone}" is not an IANA time zone`);
  const intIn = (field: keyof PanelSettings, v: unknown, min: number, max: number) => {
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw invalidInput(field, `must be an integer from ${min} to ${max}`);
  };
  intIn('expiry_warning_days', patch.expiry_warning_days, 0, 3650);
  intIn('usage_minute_retention_hours', patch.usage_minute_retention_hours, 1, 24 * 90);
  intIn('usage_hour_retention_days', patch.usage_hour_retention_days, 1, 3650);
  intIn('usage_day_retention_days', patch.usage_day_retention_days, 1, 36500);
  // Seconds, fractions allowed (as the start flags take them).
  for (const field of ['poll_interval_seconds', 'enforcement_interval_seconds'] as const) {
    const v = patch[field];
    if (v !== undefined && storedInterval(field, v) === undefined) {
      const { min, max } = INTERVAL_LIMITS[field];
      throw invalidInput(field, `must be a number of seconds from ${min} to ${max}`);
    }
  }
}

/** An interval in range (a stored one edited by hand may not be), or undefined. */
function storedInterval(field: keyof typeof INTERVAL_LIMITS, v: unknown): number | undefined {
  const { min, max } = INTERVAL_LIMITS[field];
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
}

/** The settings the policy takes. */
export function policySettingsOf(s: PanelSettings): PolicySettings {
  return { timezone: s.timezone, expiryWarningMs: s.expiry_warning_days * 24 * 3600 * 1000 };
}

/**
 * Reads and writes the panel settings, keeping a copy in memory (one panel process writes them;
 * `refresh` re-reads, e.g. on the policy tick, in case another process changed them). A value
 * saved in the `settings` table wins over its default (`defaults`: the start flags' intervals).
 */
export class PanelSettingsService {
  #cached: PanelSettings | undefined;
  readonly #listeners: ((settings: PanelSettings) => void)[] = [];

  constructor(
    private readonly store: SettingsStore,
    private readonly defaults: PanelSettings = DEFAULT_PANEL_SETTINGS,
  ) {}

  async get(): Promise<PanelSettings> {
    return (this.#cached ??= await this.refresh());
  }

  /**
   * The settings as last read, without waiting (the defaults before the first read): for timers
   * that plan their next run synchronously.
   */
  current(): PanelSettings {
    return this.#cached ?? this.defaults;
  }

  async refresh(): Promise<PanelSettings> {
    const stored = await this.store.read(PANEL_SETTING_KEYS);
    const out: Record<string, unknown> = { ...this.defaults };
    for (const key of PANEL_SETTING_KEYS) {
      const text = stored.get(key);
      if (text === undefined) continue;
      try {
        out[key] = JSON.parse(text) as unknown;
      } catch {
        // A value written by hand that does not parse: keep the default.
      }
    }
    const settings = out as unknown as PanelSettings;
    if (!isValidTimeZone(settings.timezone)) out.timezone = 'UTC';
    for (const key of Object.keys(INTERVAL_LIMITS) as (keyof typeof INTERVAL_LIMITS)[])
      out[key] = storedInterval(key, out[key]) ?? this.defaults[key];
    this.#cached = settings;
    return settings;
  }

  /**
   * Reads the settings again and, when another panel changed them, tells the listeners as
   * `update` does (the cluster's lease pass calls it twice a poll interval: a change made on one
   * panel reaches the others within one poll).
   */
  async reload(): Promise<PanelSettings> {
    const before = this.#cached;
    const settings = await this.refresh();
    if (before !== undefined && JSON.stringify(before) !== JSON.stringify(settings))
      for (const listener of this.#listeners) listener(settings);
    return settings;
  }

  /** Calls `listener` after each `update` with the settings then in force (timers re-plan). */
  onChange(listener: (settings: PanelSettings) => void): void {
    this.#listeners.push(listener);
  }

  /** Validates and stores a partial update; returns the settings now in force. */
  async update(patch: Partial<PanelSettings>, now: Date): Promise<PanelSettings> {
    validatePanelSettings(patch);
    const values = new Map<string, string>();
    for (const key of PANEL_SETTING_KEYS)
      if (patch[key] !== undefined) values.set(key, JSON.stringify(patch[key]));
    await this.store.write(values, now);
    const settings = await this.refresh();
    for (const listener of this.#listeners) listener(settings);
    return settings;
  }
}
