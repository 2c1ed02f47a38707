/**
 * Wire shapes of the panel API, as the UI reads them: the static types of the server's TypeBox
 * schemas (src/shared/wire/panel-api.ts), imported as types only (no TypeBox in the bundle), and
 * the domain's vocabulary (src/panel/domain/vocabulary.ts, plain arrays).
 */
import type { Static } from 'typebox';
import type * as Wire from '../../../src/shared/wire/panel-api';
import type { PeerStatus } from '../../../src/panel/domain/vocabulary';

export type {
  AuditOutcome,
  AuditTargetKind,
  NodeStatus,
  NotificationLanguage,
  PeerEventType,
  PeerSortKey,
  PeerStatus,
  ResetSchedule,
  RestrictionReason,
  SubscriberEventType,
  SubscriberSortKey,
  SubscriberStatus,
  TrafficInterval,
} from '../../../src/panel/domain/vocabulary';
export {
  AUDIT_TARGET_KINDS,
  NOTIFICATION_ACTIONS,
  NOTIFICATION_LANGUAGES,
  SMTP_SECURITIES,
  WEBHOOK_CONTENT_TYPES,
  PEER_EVENT_TYPES,
  PEER_SORT_KEYS,
  RESET_SCHEDULES,
  SUBSCRIBER_SORT_KEYS,
  SUBSCRIBER_STATUSES,
  SHOWN_SUBSCRIBER_STATUSES,
} from '../../../src/panel/domain/vocabulary';

/** `{status, message, data}`: every answer of the API. */
export interface Envelope<T> {
  readonly status: boolean;
  readonly message: string | null;
  readonly data: T;
}

export type NodeJson = Static<typeof Wire.NodeJson>;
export type AddedNodeJson = Static<typeof Wire.AddedNodeJson>;
export type ConfigurationJson = Static<typeof Wire.ConfigurationJson>;
export type PeerJson = Static<typeof Wire.PeerJson>;
export type ConfigurationInfoJson = Static<typeof Wire.ConfigurationInfoJson>;
export type TrafficPointJson = Static<typeof Wire.TrafficPoint>;
export type PeerTrafficJson = Static<typeof Wire.PeerTrafficJson>;
export type ConfigurationTrafficsJson = Static<typeof Wire.ConfigurationTrafficsJson>;
export type PeerEventJson = Static<typeof Wire.PeerEventJson>;
export type PeerEventsJson = Static<typeof Wire.PeerEventsJson>;
export type ApiKeyJson = Static<typeof Wire.ApiKeyJson>;
export type PanelSettingsJson = Static<typeof Wire.PanelSettingsJson>;
export type WebhookJson = Static<typeof Wire.WebhookJson>;
export type WebhookTemplateJson = Static<typeof Wire.WebhookTemplateJson>;
export type DeliverySessionJson = Static<typeof Wire.DeliverySessionJson>;
export type NotificationSettingsJson = Static<typeof Wire.NotificationSettingsJson>;
export type UpdateNotificationSettingsBody = Static<typeof Wire.UpdateNotificationSettingsBody>;

export type SubscriberListJson = Static<typeof Wire.SubscriberListJson>;
export type SubscriberJson = Static<typeof Wire.SubscriberJson>;
export type SubscriberDetailJson = Static<typeof Wire.SubscriberDetailJson>;
export type SubscriberPeerJson = Static<typeof Wire.SubscriberPeerJson>;

export type PeerStatusFilter = 'all' | PeerStatus;

/** What the peers page can do to the selected peers at once. */
export type BulkAction =
  'limit' | 'expiry' | 'threshold' | 'schedule' | 'restrict' | 'allow' | 'reset' | 'delete';

/** What the subscribers page can do to the selected subscribers at once. */
export type SubscriberBulkAction = 'extend' | 'limit' | 'restrict' | 'allow' | 'reset' | 'delete';
export type AuditEntryJson = Static<typeof Wire.AuditEntryJson>;
