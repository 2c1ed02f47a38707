import {
  insertPreparedPeers,
  preparePeers,
  type AddPeersInput,
  type PreparedPeers,
} from '../peers/add-peers.js';
import { applyToNode } from '../peers/apply-to-node.js';
import type { PeerConfiguration } from '../peers/ports.js';
import { PanelError } from '../errors.js';
import type { ConvergeNow } from '../sync/ports.js';
import { initialQuotaColumns } from '../usage/quota-change.js';
import type { SubscriberPolicy, SubscriberStore } from './ports.js';
import {
  atField,
  parseDetails,
  parseSubscriberQuota,
  type SubscriberFieldsInput,
} from './subscriber-fields.js';
import { newSubscriberToken } from './subscriber-token.js';
import {
  mustBeAllowedConfiguration,
  spendForSubscriber,
  type SubscriberScope,
} from './reseller-scope.js';

export interface SubscribersDeps {
  readonly store: SubscriberStore;
  /** The configurations a reseller may put peers on (its limits; none without). */
  readonly allowedConfigurations: (userId: number) => Promise<readonly string[]>;
  /** Quota, hold, restriction and usage changes: the one quota path. */
  readonly policy: SubscriberPolicy;
  readonly converge: ConvergeNow;
  readonly now: () => Date;
}

export interface AddSubscriberInput extends SubscriberFieldsInput {
  readonly name: string;
  readonly peers?: readonly (AddPeersInput & { readonly configuration: string })[];
}

/** The configuration a request field names; 404 naming that field. */
export async function configurationAt(
  store: SubscriberStore,
  name: string,
  field: string,
): Promise<PeerConfiguration> {
  const c = await store.findConfiguration(name);
  if (!c)
    throw new PanelError('not_found', `${field}: configuration "${name}" not found`, name, field);
  return c;
}

/** Converges each configuration after a write; the answer's message says which node lags. */
export async function convergeAll(
  converge: ConvergeNow,
  configurations: readonly PeerConfiguration[],
  remove?: ReadonlyMap<number, readonly string[]>,
): Promise<string | null> {
  const seen = new Map(configurations.map((c) => [c.id, c]));
  const messages = await Promise.all(
    [...seen.values()].map((c) => {
      const keys = remove?.get(c.id);
      return applyToNode(converge, c, keys ? { remove: keys } : undefined);
    }),
  );
  const out = messages.filter((m): m is string => m !== null);
  return out.length === 0 ? null : out.join('; ');
}

/**
 * Creates a subscriber and, in the same transaction, its peers on each configuration named (all
 * or nothing: a bad field of any peer — named `peers[1].configuration` — writes nothing, neither
 * the subscriber nor a peer on any node). Then its policy (and its peers' own quota fields) runs,
 * and every configuration converges, before the answer.
 */
export async function addSubscriber(
  deps: SubscribersDeps,
  input: AddSubscriberInput,
  actor: { readonly userId: number | null; readonly scope: SubscriberScope },
): Promise<{ id: number; message: string | null }> {
  const now = deps.now();
  const details = parseDetails(input, true);
  const quota = parseSubscriberQuota(input);
  const columns = initialQuotaColumns(quota, now);
  const scope = actor.scope;
  // A reseller: the configurations it may use, read before any is looked up (it learns nothing
  // of the others); checked again under the lock that spends its balance.
  const allowed = scope === null ? null : await deps.allowedConfigurations(scope.owner);
  const specs: PreparedPeers[] = [];
  for (const [i, p] of (input.peers ?? []).entries()) {
    const field = `peers[${i}]`;
    if (allowed !== null)
      mustBeAllowedConfiguration(allowed, p.configuration, `${field}.configuration`);
    const configuration = await configurationAt(
      deps.store,
      p.configuration,
      `${field}.configuration`,
    );
    // The subscriber is the one being made: a peer's own subscriber_id is not taken here.
    const fields: AddPeersInput = { ...p, subscriber_id: null };
    specs.push(await atField(field, async () => preparePeers(configuration, fields, now)));
  }
  const { token, hash } = newSubscriberToken();
  const onHold = quota.onHoldDays ?? null;
  const { id, peerIds } = await deps.store.transaction(async (w) => {
    if (scope !== null) {
      const spent = await spendForSubscriber(
        w,
        scope.owner,
        null,
        { trafficLimit: columns.traffic_limit, expiryDate: columns.expiry_date },
        now,
      );
      for (const [i, p] of (input.peers ?? []).entries())
        mustBeAllowedConfiguration(
          spent.configurations,
          p.configuration,
          `peers[${i}].configuration`,
        );
    }
    const id = await w.insert({
      created_by: actor.userId,
      name: details.name as string,
      email: details.email ?? null,
      telegram_chat_id: details.telegram_chat_id ?? null,
      language: details.language ?? null,
      note: details.note ?? null,
      token,
      token_hash: hash,
      traffic_limit: columns.traffic_limit,
      expiry_date: columns.expiry_date,
      ...(columns.traffic_warn_threshold !== undefined && {
        traffic_warn_threshold: columns.traffic_warn_threshold,
      }),
      reset_schedule: columns.reset_schedule,
      reset_anchor: columns.reset_anchor,
      on_hold_days: onHold,
      status: onHold === null ? 'active' : 'on_hold',
      period_started_at: now,
      ...speedColumnsOf(columns),
      created_at: now,
      updated_at: now,
    });
    const peerIds: number[] = [];
    for (const [i, spec] of specs.entries()) {
      const added = await atField(`peers[${i}]`, () => insertPreparedPeers(w.peers, spec, id));
      peerIds.push(...added.map((p) => p.id));
    }
    return { id, peerIds };
  });
  // A zero limit, a past date or the peers' own quota fields cut them before any node hears.
  await deps.policy.peersChanged([id], peerIds);
  const message = await convergeAll(
    deps.converge,
    specs.map((s) => s.configuration),
  );
  return { id, message };
}

/** A new subscriber's speeds, throttle and granular quotas (issue 15), from its quota columns. */
function speedColumnsOf(c: ReturnType<typeof initialQuotaColumns>) {
  return {
    download_bps: c.download_bps,
    upload_bps: c.upload_bps,
    ...(c.on_limit !== undefined && { on_limit: c.on_limit }),
    throttle_download_bps: c.throttle_download_bps,
    throttle_upload_bps: c.throttle_upload_bps,
    download_limit: c.download_limit,
    upload_limit: c.upload_limit,
    daily_limit: c.daily_limit,
  };
}
