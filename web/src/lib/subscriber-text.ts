/** A subscriber's status and expiry in words, in the language in force. */
import type { SubscriberJson } from '../api/types';
import { t } from '../i18n/index.js';
import { expiryText } from './format.js';

type Status = Pick<SubscriberJson, 'status' | 'restriction_reason' | 'on_hold_days'>;

/** "active", "cut off: the traffic limit is used up", "on hold". */
export function subscriberStatusText(s: Status): string {
  if (s.status === 'restricted' && s.restriction_reason)
    return t('subStatus.restrictedBecause', { reason: t(`subReason.${s.restriction_reason}`) });
  return t(`subStatus.${s.status}`);
}

/** The badge class of a status: ok, bad, or warn (on hold). */
export const subscriberStatusClass = (s: Status) =>
  s.status === 'active' ? 'ok' : s.status === 'restricted' ? 'bad' : 'warn';

/** "in 3 days", "expired 2 h ago", "never"; on hold: "starts at the first connection, …". */
export function subscriberExpiryText(
  s: Status & Pick<SubscriberJson, 'expiry_date'>,
  now: number,
): string {
  if (s.status === 'on_hold' && s.on_hold_days !== null)
    return t('subStatus.onHoldHint', { days: t('time.days', s.on_hold_days) });
  return expiryText(s.expiry_date, now);
}
