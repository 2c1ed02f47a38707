import { decideResellerSpend, type SubscriberTerms } from '../../domain/reseller-limits.js';
import { PanelError, forbidden } from '../errors.js';
import type { SubscribersDeps } from './add-subscriber.js';
import type { SubscriberWriter } from './ports.js';

/**
 * Whose subscribers a call may touch: every one (`null`: admins, operators), or only those a
 * reseller created (`owner`: its user id).
 */
export type SubscriberScope = { readonly owner: number } | null;

/**
 * The subscriber, when the scope may see it; else the same 404 as for one that does not exist
 * (a reseller learns nothing of another's).
 */
export async function mustBeVisible(
  deps: SubscribersDeps,
  id: number,
  scope: SubscriberScope,
  field = 'id',
): Promise<void> {
  const s = await deps.store.byId(id);
  if (!s || (scope !== null && s.created_by !== scope.owner))
    throw new PanelError('not_found', `${field}: subscriber ${id} not found`, String(id), field);
}

/** A reseller may put peers only on the configurations an admin allowed it (403 otherwise). */
export function mustBeAllowedConfiguration(
  allowed: readonly string[],
  name: string,
  field: string,
): void {
  if (!allowed.includes(name))
    throw new PanelError('forbidden', `${field}: not one of your configurations`, name, field);
}

/**
 * Spends a reseller's balance for a subscriber created (`before` null) or changed, inside the
 * transaction `w`: its limits row is locked first, so concurrent requests queue and each sees
 * the others' subscribers; the balance is taken by a guarded update. Refused (409, naming the
 * field and what is left) when it does not fit.
 */
export async function spendForSubscriber(
  w: SubscriberWriter,
  owner: number,
  before: SubscriberTerms | null,
  after: SubscriberTerms,
  now: Date,
): Promise<{ bytes: bigint; days: number; configurations: string[] }> {
  const limits = await w.reseller.lock(owner);
  if (!limits) throw forbidden('an admin has not set your reseller limits');
  const used = await w.reseller.used(owner);
  const d = decideResellerSpend(limits, used, before, after, now);
  if (!d.ok) throw new PanelError('conflict', `${d.field}: ${d.message}`, d.field, d.field);
  if (!(await w.reseller.spend(owner, d.bytes, d.days)))
    throw new PanelError('conflict', 'your balance changed: try again', 'balance');
  return { bytes: d.bytes, days: d.days, configurations: limits.configurations };
}
