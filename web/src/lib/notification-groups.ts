import { NOTIFICATION_ACTIONS } from '../api/types';

/** The notification actions in three groups (peers, subscribers, nodes and interfaces). */
export const NOTIFICATION_GROUPS = [
  { key: 'groupPeers', actions: NOTIFICATION_ACTIONS.filter((a) => a.startsWith('peer_')) },
  {
    key: 'groupSubscribers',
    actions: NOTIFICATION_ACTIONS.filter((a) => a.startsWith('subscriber_')),
  },
  {
    key: 'groupFleet',
    actions: NOTIFICATION_ACTIONS.filter(
      (a) => !a.startsWith('peer_') && !a.startsWith('subscriber_'),
    ),
  },
] as const;
