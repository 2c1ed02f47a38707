import type {
  AuditOutcome,
  AuditTargetKind,
  BulkAction,
  NodeStatus,
  PeerEventType,
  PeerSortKey,
  ResetSchedule,
  RestrictionReason,
  TrafficInterval,
} from '../api/types';
import type {
  InterfaceStatus,
  NotificationAction,
  OnLimitAction,
  QuotaKind,
  ShownPeerStatus,
  SubscriberEventType,
  SubscriberSortKey,
  SubscriberStatus,
} from '../../../src/panel/domain/vocabulary';
import en from './en';

/**
 * Every word of the vocabulary has its message: a new status, reason or event kind fails the type
 * check (vue-tsc) until en.ts, and with it every language, says it.
 */
type VocabularyCovered = {
  readonly eventType: Record<PeerEventType, string>;
  readonly auditOutcome: Record<AuditOutcome, string>;
  readonly auditTarget: Record<AuditTargetKind, string>;
  readonly reason: Record<RestrictionReason, string>;
  readonly peerStatus: Record<ShownPeerStatus, string>;
  readonly quota: Record<QuotaKind, string>;
  readonly onLimit: Record<OnLimitAction, string>;
  readonly nodeStatus: Record<NodeStatus, string>;
  readonly interfaceStatus: Record<InterfaceStatus, string>;
  readonly schedule: Record<ResetSchedule, string>;
  readonly sortKey: Record<PeerSortKey, string>;
  readonly interval: Record<TrafficInterval, string>;
  readonly subStatus: Record<SubscriberStatus, string>;
  readonly subReason: Record<RestrictionReason, string>;
  readonly subSortKey: Record<SubscriberSortKey, string>;
  readonly subEventType: Record<SubscriberEventType, string>;
  readonly notify: { readonly action: Record<NotificationAction, string> };
  readonly bulk: {
    readonly button: Record<BulkAction, string>;
    readonly title_: Record<BulkAction, string>;
  };
};
export const vocabularyCovered: VocabularyCovered = en;
