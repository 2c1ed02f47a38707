import { call } from '../api/client';
import type { SubscriberBulkAction } from '../api/types';
import { toBytes, type SizeUnit } from './format';

/** What the subscribers' bulk dialog's fields hold. */
export interface SubscriberBulkValues {
  days: number | '';
  clear: boolean;
  limit: number | '';
  unit: SizeUnit;
  deletePeers: boolean;
}

/**
 * Sends one action for the given subscribers. Extend and limit are one all-or-nothing request
 * (updateSubscribers); the others have one request per subscriber, sent in turn: `onDone` counts
 * them, so a failure half-way says how many were done.
 */
export async function sendSubscriberBulk(
  action: SubscriberBulkAction,
  ids: readonly number[],
  v: SubscriberBulkValues,
  onDone: (n: number) => void = () => {},
): Promise<void> {
  if (action === 'extend' || action === 'limit') {
    await call('updateSubscribers', {
      body:
        action === 'extend'
          ? { ids: [...ids], extend_days: Number(v.days) }
          : {
              ids: [...ids],
              traffic_limit: v.clear || v.limit === '' ? null : toBytes(Number(v.limit), v.unit),
            },
    });
    onDone(ids.length);
    return;
  }
  let n = 0;
  for (const id of ids) {
    if (action === 'delete')
      await call('deleteSubscriber', { body: { id, delete_peers: v.deletePeers } });
    else if (action === 'restrict') await call('restrictSubscriber', { body: { id } });
    else if (action === 'allow') await call('allowSubscriber', { body: { id } });
    else await call('resetSubscriberData', { body: { id } });
    onDone(++n);
  }
}
