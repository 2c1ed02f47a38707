import type {
  NotificationAction,
  PeerEventType,
  SubscriberEventType,
} from '../../domain/vocabulary.js';

/** The notification action of each stored event type (every type has one). */
export const ACTION_OF_EVENT: Readonly<Record<PeerEventType, NotificationAction>> = {
  warning: 'peer_traffic_warning',
  exceeded: 'peer_traffic_exceeded',
  expired: 'peer_expired',
  expiring_soon: 'peer_expiring_soon',
  restricted: 'peer_restricted',
  restored: 'peer_restored',
  throttled: 'peer_throttled',
  unthrottled: 'peer_unthrottled',
  reset: 'peer_usage_reset',
  interface_missing: 'interface_missing',
  interface_back: 'interface_back',
  created: 'peer_created',
  updated: 'peer_updated',
  deleted: 'peer_deleted',
  node_down: 'node_down',
  node_up: 'node_up',
};

/** The notification action of each subscriber event type (every type has one). */
export const ACTION_OF_SUBSCRIBER_EVENT: Readonly<Record<SubscriberEventType, NotificationAction>> =
  {
    warning: 'subscriber_traffic_warning',
    exceeded: 'subscriber_traffic_exceeded',
    expiring_soon: 'subscriber_expiring_soon',
    expired: 'subscriber_expired',
    restricted: 'subscriber_restricted',
    restored: 'subscriber_restored',
    reset: 'subscriber_usage_reset',
    activated: 'subscriber_activated',
    throttled: 'subscriber_throttled',
    unthrottled: 'subscriber_unthrottled',
  };
