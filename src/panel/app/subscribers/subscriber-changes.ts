import { PanelError, conflict, invalidInput, notFound } from '../errors.js';
import { peerKey } from '../peers/update-peer.js';
import type { PeerConfiguration } from '../peers/ports.js';
import { isEmptyChange } from '../usage/quota-change.js';
import type { SubscriberQuotaChange } from '../usage/subscriber-quotas.js';
import { configurationAt, convergeAll, type SubscribersDeps } from './add-subscriber.js';
import {
  SPEED_FIELDS,
  parseDetails,
  parseSubscriberQuota,
  type SubscriberFieldsInput,
} from './subscriber-fields.js';
import { newSubscriberToken } from './subscriber-token.js';
import { mustBeVisible, spendForSubscriber, type SubscriberScope } from './reseller-scope.js';

const quotaIsEmpty = (c: SubscriberQuotaChange) =>
  isEmptyChange(c) && c.onHoldDays === undefined && c.extendDays === undefined;

async function mustExist(deps: SubscribersDeps, id: number, field = 'id'): Promise<void> {
  if (!(await deps.store.byId(id)))
    throw new PanelError('not_found', `${field}: subscriber ${id} not found`, String(id), field);
}

/**
 * updateSubscriber: every field checked first; name, contact and note written, then the quota
 * fields through the quota path (the policy runs within the request: a limit lowered below its
 * usage cuts every peer of it off before the answer, a raised one restores them).
 */
export async function updateSubscriber(
  deps: SubscribersDeps,
  input: SubscriberFieldsInput & { readonly id: number },
  scope: SubscriberScope = null,
): Promise<void> {
  const details = parseDetails(input, false);
  const quota = parseSubscriberQuota(input);
  await mustBeVisible(deps, input.id, scope);
  // A reseller's extension spends its balance first (under its lock); given back if the change
  // then fails.
  const spent = scope === null ? null : await spendForChange(deps, input.id, scope.owner, quota);
  try {
    if (Object.keys(details).length > 0)
      await deps.store.transaction(async (w) => {
        if (!(await w.lock(input.id))) throw notFound('subscriber', input.id);
        await w.update(input.id, details, deps.now());
      });
    if (!quotaIsEmpty(quota)) await deps.policy.change([input.id], quota);
  } catch (err) {
    if (spent && (spent.bytes > 0n || spent.days > 0))
      await deps.store.transaction((w) => w.reseller.spend(spent.owner, -spent.bytes, -spent.days));
    throw err;
  }
}

const DAY_MS = 86_400_000;

/** What a reseller's change of a subscriber's limit or date spends (nothing when neither moves). */
async function spendForChange(
  deps: SubscribersDeps,
  id: number,
  owner: number,
  quota: SubscriberQuotaChange,
): Promise<{ owner: number; bytes: bigint; days: number } | null> {
  if (
    quota.trafficLimit === undefined &&
    quota.expiryDate === undefined &&
    quota.extendDays === undefined
  )
    return null;
  const now = deps.now();
  return deps.store.transaction(async (w) => {
    // Read under the reseller's lock: two extensions of one subscriber queue.
    await w.reseller.lock(owner);
    const s = await w.reseller.terms(id);
    if (!s) throw notFound('subscriber', id);
    const before = { trafficLimit: s.traffic_limit, expiryDate: s.expiry_date };
    let expiryDate = quota.expiryDate !== undefined ? quota.expiryDate : s.expiry_date;
    if (quota.extendDays !== undefined && s.expiry_date !== null)
      expiryDate = new Date(
        Math.max(s.expiry_date.getTime(), now.getTime()) + quota.extendDays * DAY_MS,
      );
    const after = {
      trafficLimit: quota.trafficLimit !== undefined ? quota.trafficLimit : s.traffic_limit,
      expiryDate,
    };
    const spent = await spendForSubscriber(w, owner, before, after, now);
    return { owner, bytes: spent.bytes, days: spent.days };
  });
}

/** updateSubscribers: one quota change for many subscribers, all or nothing. */
export async function updateSubscribers(
  deps: SubscribersDeps,
  input: {
    readonly ids: readonly number[];
    readonly traffic_limit?: unknown;
    readonly expiry_date?: unknown;
    readonly extend_days?: number;
  } & Pick<SubscriberFieldsInput, (typeof SPEED_FIELDS)[number]>,
): Promise<void> {
  const base = parseSubscriberQuota({
    ...(input.traffic_limit !== undefined && { traffic_limit: input.traffic_limit }),
    ...(input.expiry_date !== undefined && { expiry_date: input.expiry_date }),
    ...Object.fromEntries(
      SPEED_FIELDS.flatMap((f) => (input[f] === undefined ? [] : [[f, input[f]]])),
    ),
  });
  if (input.extend_days !== undefined && input.expiry_date !== undefined)
    throw invalidInput('extend_days', 'give expiry_date or extend_days, not both');
  const change: SubscriberQuotaChange = {
    ...base,
    ...(input.extend_days !== undefined && { extendDays: input.extend_days }),
  };
  if (quotaIsEmpty(change))
    throw invalidInput(
      'ids',
      'give traffic_limit, expiry_date, extend_days, or a speed, throttle or granular limit field',
    );
  for (const [i, id] of input.ids.entries()) await mustExist(deps, id, `ids[${i}]`);
  await deps.policy.change([...new Set(input.ids)], change);
}

/** Peers named by configuration and public key: ids, each must exist (404 naming the field). */
async function resolvePeers(
  deps: SubscribersDeps,
  peers: readonly { readonly configuration: string; readonly id: string }[],
): Promise<
  { id: number; subscriberId: number | null; field: string; configuration: PeerConfiguration }[]
> {
  const out = [];
  for (const [i, p] of peers.entries()) {
    const field = `peers[${i}]`;
    const configuration = await configurationAt(
      deps.store,
      p.configuration,
      `${field}.configuration`,
    );
    const key = peerKey(`${field}.id`, p.id);
    const found = (await deps.store.peersByKeys(configuration.id, [key])).get(key);
    if (!found)
      throw new PanelError('not_found', `${field}.id: peer "${key}" not found`, key, `${field}.id`);
    out.push({ ...found, field, configuration });
  }
  return out;
}

/** assignSubscriberPeers: the peers join it (none may belong to another subscriber: 409). */
export async function assignPeers(
  deps: SubscribersDeps,
  input: { readonly id: number; readonly peers: readonly { configuration: string; id: string }[] },
): Promise<void> {
  await mustExist(deps, input.id);
  const peers = await resolvePeers(deps, input.peers);
  const ids = await deps.store.transaction(async (w) => {
    if (!(await w.lock(input.id))) throw notFound('subscriber', input.id);
    const mine = new Set((await w.peersOf(input.id)).map((p) => p.id));
    const owners = await w.ownersOf(peers.map((p) => p.id));
    for (const p of peers) {
      const owner = owners.get(p.id) ?? null;
      if (owner !== null && owner !== input.id)
        throw conflict(`belongs to subscriber ${owner}`, String(p.id), `${p.field}.id`);
    }
    const joining = [...new Set(peers.map((p) => p.id))].filter((id) => !mine.has(id));
    await w.assign(input.id, joining);
    return joining;
  });
  await deps.policy.peersChanged([input.id], ids);
}

/** unassignSubscriberPeers: the peers leave it (each must be its); its usage keeps their bytes. */
export async function unassignPeers(
  deps: SubscribersDeps,
  input: { readonly id: number; readonly peers: readonly { configuration: string; id: string }[] },
): Promise<void> {
  await mustExist(deps, input.id);
  const peers = await resolvePeers(deps, input.peers);
  const ids = await deps.store.transaction(async (w) => {
    if (!(await w.lock(input.id))) throw notFound('subscriber', input.id);
    const mine = new Set((await w.peersOf(input.id)).map((p) => p.id));
    const stray = peers.find((p) => !mine.has(p.id));
    if (stray)
      throw conflict('is not a peer of this subscriber', String(stray.id), `${stray.field}.id`);
    const leaving = [...new Set(peers.map((p) => p.id))];
    await w.unassign(leaving);
    return leaving;
  });
  await deps.policy.peersChanged([input.id], ids);
}

/**
 * deleteSubscriber: with `delete_peers`, its peers go too (removed from every node before the
 * answer); without, they stay, unowned (a peer cut off only for its subscriber comes back).
 */
export async function deleteSubscriber(
  deps: SubscribersDeps,
  input: { readonly id: number; readonly delete_peers: boolean },
): Promise<{ message: string | null }> {
  const before = await deps.store.peers(input.id);
  await mustExist(deps, input.id);
  const removed = await deps.store.transaction(async (w) => {
    if (!(await w.lock(input.id))) throw notFound('subscriber', input.id);
    const peers = await w.peersOf(input.id);
    if (input.delete_peers) await w.peers.deletePeers(peers.map((p) => p.id));
    else await w.unassign(peers.map((p) => p.id));
    await w.delete(input.id);
    return peers;
  });
  if (!input.delete_peers) {
    await deps.policy.peersChanged(
      [],
      removed.map((p) => p.id),
    );
    return { message: null };
  }
  const keys = new Map<number, string[]>();
  for (const p of removed)
    keys.set(p.configurationId, [...(keys.get(p.configurationId) ?? []), p.publicKey]);
  return {
    message: await convergeAll(
      deps.converge,
      before.map((p) => p.configuration),
      keys,
    ),
  };
}

/** rotateSubscriberToken: a new page token; the old link answers 404 from now on. */
export async function rotateToken(deps: SubscribersDeps, id: number): Promise<void> {
  await mustExist(deps, id);
  const { token, hash } = newSubscriberToken();
  await deps.store.transaction(async (w) => {
    if (!(await w.lock(id))) throw notFound('subscriber', id);
    await w.update(id, { token, token_hash: hash }, deps.now());
  });
}

/** updatePeerSettings' subscriber_id: the peer leaves its subscriber, if any, and joins this one. */
export async function setPeerSubscriber(
  deps: SubscribersDeps,
  peerId: number,
  subscriberId: number | null,
): Promise<void> {
  const old = await deps.store.transaction(async (w) => {
    if (subscriberId !== null && !(await w.lock(subscriberId)))
      throw new PanelError(
        'not_found',
        `subscriber_id: subscriber ${subscriberId} not found`,
        String(subscriberId),
        'subscriber_id',
      );
    const owner = (await w.ownersOf([peerId])).get(peerId) ?? null;
    if (owner === subscriberId) return owner;
    if (owner !== null) await w.unassign([peerId]);
    if (subscriberId !== null) await w.assign(subscriberId, [peerId]);
    return owner;
  });
  const ids = [old, subscriberId].filter((x): x is number => x !== null);
  await deps.policy.peersChanged(ids, [peerId]);
}
