import type {
  OnLimitAction,
  PeerEventType,
  PeerStatus,
  QuotaKind,
  ResetSchedule,
  RestrictionReason,
} from '../vocabulary.js';
import type { GranularQuotas } from './quotas.js';

export type {
  OnLimitAction,
  PeerStatus,
  QuotaKind,
  ResetSchedule,
  RestrictionReason,
} from '../vocabulary.js';

/** What the policy needs to know of a peer. Plain data; bytes as bigint, times as Date (UTC). */
export interface PolicyPeer extends GranularQuotas {
  readonly status: PeerStatus;
  readonly restrictionReason: RestrictionReason | null;
  /** Bytes (rx + tx) allowed per period; null = no limit. */
  readonly trafficLimit: bigint | null;
  readonly expiryDate: Date | null;
  /** Percent of the limit at which to warn, 1–100. */
  readonly warnThreshold: number;
  /** Bytes used in the current period (rx + tx). */
  readonly usage: bigint;
  /** A warning was given for the current crossing of the threshold. */
  readonly trafficWarned: boolean;
  /** The expiry date an "expiring soon" warning was given for, if any. */
  readonly expiryWarnedFor: Date | null;
  readonly resetSchedule: ResetSchedule;
  /** Monthly: day of month 1–31 (clamped to the month's length). Weekly: ISO weekday 1 (Monday)–7 (Sunday). */
  readonly resetAnchor: number | null;
  readonly periodStartedAt: Date;
  /**
   * The peer's subscriber is restricted, for this reason: the peer is cut off with it (unless its
   * own expiry or limit already cut it). Null or absent: no subscriber, or one not restricted.
   */
  readonly subscriberCut?: RestrictionReason | null;
  /** The peer's restriction is its subscriber's: lifted with the subscriber's, even a `manual` one. */
  readonly restrictedBySubscriber?: boolean;
  /** Over a byte quota: cut off (`restrict`, the default) or slowed down (`throttle`). */
  readonly onLimit?: OnLimitAction;
  /** The peer is throttled now (active, at its throttle speed). */
  readonly throttled?: boolean;
  /** Start of the day `dayUsage` counts; null = not counted yet (the day starts now). */
  readonly dayStartedAt?: Date | null;
  /** A warning was given for the current crossing of each granular quota's threshold. */
  readonly downloadWarned?: boolean;
  readonly uploadWarned?: boolean;
  readonly dailyWarned?: boolean;
}

export interface PolicySettings {
  /** How long before expiry the one "expiring soon" warning is given. Default 7 days. */
  readonly expiryWarningMs: number;
  /** IANA time zone that reset boundaries are computed in. Default UTC. */
  readonly timezone: string;
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  expiryWarningMs: 7 * 24 * 3600 * 1000,
  timezone: 'UTC',
};

/** What the policy decided, as events; each maps to a stored event and a log line. */
export type PolicyEvent =
  | { readonly type: 'reset'; readonly periodStartedAt: Date; readonly usageBefore: bigint }
  | {
      readonly type: 'warning';
      readonly usage: bigint;
      readonly limit: bigint;
      readonly percent: number;
      /** Which quota; absent = `traffic` (rx + tx per period). */
      readonly quota?: Exclude<QuotaKind, 'traffic'>;
    }
  | {
      readonly type: 'exceeded';
      readonly usage: bigint;
      readonly limit: bigint;
      /** Which quota; absent = `traffic`. */
      readonly quota?: Exclude<QuotaKind, 'traffic'>;
    }
  | { readonly type: 'throttled'; readonly quota: QuotaKind }
  | { readonly type: 'unthrottled' }
  | { readonly type: 'expired'; readonly expiryDate: Date }
  | { readonly type: 'expiring_soon'; readonly expiryDate: Date; readonly daysLeft: number }
  | {
      readonly type: 'restricted';
      /** `manual` only with `bySubscriber`: its subscriber was restricted by hand. */
      readonly reason: RestrictionReason;
      /** The cut is the subscriber's (the peer's own limit and date are not the cause). */
      readonly bySubscriber?: true;
    }
  | {
      readonly type: 'restored';
      readonly previousReason: RestrictionReason;
      readonly bySubscriber?: true;
    };

/** Every kind the policy decides is a stored event kind (this fails to compile otherwise). */
type StoredKind<T extends PeerEventType> = T;
export type PolicyEventType = StoredKind<PolicyEvent['type']>;

/** The peer's policy state after a decision. */
export interface PolicyState {
  readonly status: PeerStatus;
  readonly restrictionReason: RestrictionReason | null;
  readonly trafficWarned: boolean;
  readonly expiryWarnedFor: Date | null;
  readonly periodStartedAt: Date;
  /** The restriction is the subscriber's (false while active). */
  readonly restrictedBySubscriber: boolean;
  /** True when the period usage must start again from zero (a reset happened). */
  readonly resetUsage: boolean;
  /** Active at the throttle speed (over a quota with `on_limit: throttle`). */
  readonly throttled: boolean;
  readonly dayStartedAt: Date | null;
  /** True when the day's usage must start again from zero (a new day began). */
  readonly resetDay: boolean;
  readonly downloadWarned: boolean;
  readonly uploadWarned: boolean;
  readonly dailyWarned: boolean;
}

export interface PolicyOutcome {
  readonly events: readonly PolicyEvent[];
  readonly next: PolicyState;
}
