import { call } from '../api/client';
import type { BulkAction, ResetSchedule } from '../api/types';
import { toBytes, type SizeUnit } from './format';

/** What the bulk dialog's fields hold. */
export interface BulkValues {
  clear: boolean;
  limit: number | '';
  unit: SizeUnit;
  expiry: string;
  threshold: number | '';
  schedule: ResetSchedule;
  anchor: number | '';
}

/** Sends one action's request for the given peers (public keys) of a configuration. */
export function sendBulk(
  action: BulkAction,
  config: string,
  keys: readonly string[],
  v: BulkValues,
) {
  const peers = [...keys];
  switch (action) {
    case 'limit':
      return call('updatePeerTrafficLimit', {
        config,
        body: {
          peers,
          traffic_limit: v.clear || v.limit === '' ? null : toBytes(Number(v.limit), v.unit),
        },
      });
    case 'expiry':
      return call('updatePeerExpiryDate', {
        config,
        body: {
          peers,
          expiry_date: v.clear || !v.expiry ? null : new Date(v.expiry).toISOString(),
        },
      });
    case 'threshold':
      return call('updatePeerTrafficWarningThreshold', {
        config,
        body: { peers, threshold: Number(v.threshold) },
      });
    case 'schedule':
      return call('updatePeerResetSchedule', {
        config,
        body: {
          peers,
          reset_schedule: v.schedule,
          reset_anchor:
            (v.schedule === 'weekly' || v.schedule === 'monthly') && v.anchor !== ''
              ? Number(v.anchor)
              : null,
        },
      });
    case 'restrict':
      return call('restrictPeers', { config, body: { peers } });
    case 'allow':
      return call('allowAccessPeers', { config, body: { peers } });
    case 'reset':
      return call('resetPeerData', { config, body: { peers, type: 'total' } });
    default:
      return call('deletePeers', { config, body: { peers } });
  }
}
