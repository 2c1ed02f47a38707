import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  NotificationLanguage,
  OnLimitAction,
  ResetSchedule,
  RestrictionReason,
  SubscriberStatus,
} from '../../../domain/vocabulary.js';

/**
 * `subscribers`: one customer, whose peers (`peers.subscriber_id`) on any configuration share one
 * limit, one date and one page. Its usage in its period is `carried_*` (bytes of peers that left
 * it during the period) plus, per peer, lifetime − subscriber_base. Quota columns as on peers.
 */
export interface SubscribersTable {
  id: Generated<number>;
  /** Unique. */
  name: string;
  /** How `name` sorts (domain/name-sort-key.ts), written with it. */
  name_sort_key: Generated<string>;
  email: string | null;
  telegram_chat_id: string | null;
  /** Its messages' language; null = the panel's notification language. */
  language: NotificationLanguage | null;
  note: string | null;
  /** SECRET: the subscriber's page is /sub/{token} (256 bits, base64url). */
  token: string;
  /** sha256 of the token, hex: what a page lookup is found by (unique). */
  token_hash: string;
  /** Defaults to `active`; restricted ⇔ restriction_reason is set. */
  status: Generated<SubscriberStatus>;
  restriction_reason: RestrictionReason | null;
  restricted_at: Date | null;
  traffic_limit: bigint | null;
  expiry_date: Date | null;
  traffic_warn_threshold: Generated<number>;
  reset_schedule: Generated<ResetSchedule>;
  reset_anchor: number | null;
  /** On hold for this many days from the first handshake; null = off. */
  on_hold_days: number | null;
  /** When the hold ended (first handshake); null = not yet (or never on hold). */
  activated_at: Date | null;
  period_started_at: Generated<Date>;
  carried_rx: Generated<bigint>;
  carried_tx: Generated<bigint>;
  traffic_warned: Generated<boolean>;
  expiry_warned_for: Date | null;
  /** Speed limits of each of its peers (bit/s, the peer's point of view); null = none (0021). */
  download_bps: bigint | null;
  upload_bps: bigint | null;
  /** Over a byte quota: its peers cut off or slowed down to the throttle speeds (bit/s). */
  on_limit: Generated<OnLimitAction>;
  throttle_download_bps: bigint | null;
  throttle_upload_bps: bigint | null;
  /** Set while its peers are throttled (it stays `active`). */
  throttled_at: Date | null;
  /** Per period over its peers: download = the nodes' tx, upload = their rx; null = none. */
  download_limit: bigint | null;
  upload_limit: bigint | null;
  /** rx + tx of its peers per calendar day (the panel's time zone); null = none. */
  daily_limit: bigint | null;
  /** Start of the day its daily usage counts; null until its policy first sees a daily limit. */
  day_started_at: Date | null;
  /** The day's bytes of peers that left it during the day. Default 0. */
  day_carried: Generated<bigint>;
  download_warned: Generated<boolean>;
  upload_warned: Generated<boolean>;
  daily_warned: Generated<boolean>;
  /** → users.id, ON DELETE SET NULL: who created it (a reseller owns what it created). */
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type SubscriberRow = Selectable<SubscribersTable>;
export type SubscriberInsert = Insertable<SubscribersTable>;
export type SubscriberUpdate = Updateable<SubscribersTable>;
