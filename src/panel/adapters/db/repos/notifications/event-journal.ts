import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fanOut, type WebhookSubscription } from '../../../../app/notifications/fan-out.js';
import type {
  Contact,
  EventRecord,
  EventSubject,
  NewDelivery,
  Notification,
} from '../../../../app/notifications/notification.js';
import { notificationOfEvent } from '../../../../app/notifications/notification-of-event.js';
import { notificationOfSubscriberEvent } from '../../../../app/notifications/notification-of-subscriber-event.js';
import {
  emailReady,
  operatorContacts,
  telegramReady,
} from '../../../../app/notifications/notification-settings.js';
import type { SubscriberEvent } from '../../../../app/events/subscriber-event.js';
import type { RecipientResolver } from '../../../../app/notifications/ports.js';
import { toPeerJson } from '../../../../app/peers/peer-json.js';
import type { Selectable } from 'kysely';
import type { PeerJson } from '../../../../../shared/wire/panel-api.js';
import type { PeersTable } from '../../schema/peers-table.js';
import type { Database } from '../../schema/database.js';
import { readNotificationSettings } from './notification-settings-store.js';
import {
  subscriberContacts,
  subscriberRecipients,
  subscriberSubjects,
} from './subscriber-recipients.js';

const CHUNK = 500;

/**
 * THE write of events: each event is stored (peer_events, subscriber_events) and, in the same transaction, its
 * deliveries are written to the outbox — one per subscribed active webhook and per contact the
 * settings route it to. An event that commits is delivered; one rolled back never is.
 */
export interface EventJournal {
  /** Stores events and their deliveries, inside the caller's transaction. */
  record(trx: Kysely<Database>, events: readonly EventRecord[]): Promise<void>;
  /**
   * Stores subscriber events (subscriber_events) and their deliveries (`subscriber_…` actions:
   * webhooks, operators, the subscriber's own contacts), inside the caller's transaction.
   */
  recordSubscriberEvents(trx: Kysely<Database>, events: readonly SubscriberEvent[]): Promise<void>;
  /**
   * Writes the deliveries of notifications made outside an event (the expiry reminders), inside
   * the caller's transaction; `only: 'subscribers'` tells nobody else.
   */
  notify(
    trx: Kysely<Database>,
    notifications: readonly Notification[],
    options?: { readonly only?: 'subscribers' },
  ): Promise<void>;
  /** Call after a transaction that recorded events committed: wakes the deliverer if it wrote. */
  committed(): void;
}

export interface EventJournalOptions {
  /** The contacts of the peers' subscribers; default: the subscribers' e-mail and chat id. */
  readonly recipients?: RecipientResolver<Kysely<Database>>;
  /** The panel's time zone, for dates in messages (default UTC). */
  readonly timezone?: () => string;
  /** Told after a commit that wrote deliveries (the deliverer's nudge). */
  readonly onDeliveries?: () => void;
  readonly newId?: () => string;
}

/** Stores events and their deliveries (see EventJournal). */
export function createEventJournal(options: EventJournalOptions = {}): EventJournal {
  const newId = options.newId ?? randomUUID;
  const recipients = options.recipients ?? subscriberRecipients;
  let wrote = false;

  async function enqueue(
    trx: Kysely<Database>,
    notificationsOf: () => Promise<readonly Notification[]>,
    onlySubscribers = false,
  ): Promise<void> {
    const webhooks = onlySubscribers ? [] : await activeWebhooks(trx);
    const settings = await readNotificationSettings(trx);
    const operators: Contact[] = onlySubscribers
      ? []
      : operatorContacts(settings).map((c) => ({
          ...c,
          language: settings.language,
          audience: 'operator',
        }));
    const ready = { email: emailReady(settings), telegram: telegramReady(settings) };
    // Nobody to tell: nothing more to read.
    if (webhooks.length === 0 && operators.length === 0 && !ready.email && !ready.telegram) return;
    const notifications = await notificationsOf();
    const peerIds = [
      ...new Set(notifications.flatMap((n) => (n.peerId === null ? [] : [n.peerId]))),
    ];
    const subscriberIds = [
      ...new Set(notifications.flatMap((n) => (n.subscriberId == null ? [] : [n.subscriberId]))),
    ];
    const ofPeers =
      peerIds.length > 0 && (ready.email || ready.telegram)
        ? await recipients.contactsOf(trx, peerIds)
        : new Map<number, readonly Contact[]>();
    const ofSubscribers =
      subscriberIds.length > 0 && (ready.email || ready.telegram)
        ? await subscriberContacts(trx, subscriberIds)
        : new Map<number, readonly Contact[]>();
    // Subscribers get messages on the channels that are set up (in their language: the fan-out's).
    const reachable = (cs: readonly Contact[] | undefined): Contact[] =>
      (cs ?? []).filter((c) => ready[c.channel]);
    const zone = options.timezone?.() ?? 'UTC';
    const deliveries: NewDelivery[] = [];
    for (const n of notifications) {
      const contacts = [
        ...operators,
        ...reachable(n.peerId === null ? undefined : ofPeers.get(n.peerId)),
        ...reachable(n.subscriberId == null ? undefined : ofSubscribers.get(n.subscriberId)),
      ];
      deliveries.push(...fanOut(n, webhooks, contacts, settings, newId, zone));
    }
    await insertDeliveries(trx, deliveries);
    if (deliveries.length > 0) wrote = true;
  }

  return {
    async record(trx, events) {
      if (events.length === 0) return;
      await insertEvents(trx, events);
      await enqueue(trx, async () => {
        const subjects = await subjectsOf(trx, events);
        return events.map((e, i) => notificationOfEvent(e, subjects[i] as EventSubject, newId()));
      });
    },
    async recordSubscriberEvents(trx, events) {
      if (events.length === 0) return;
      await insertSubscriberEvents(trx, events);
      await enqueue(trx, async () => {
        const subjects = await subscriberSubjects(trx, [
          ...new Set(events.map((e) => e.subscriber.id)),
        ]);
        return events.map((e) =>
          notificationOfSubscriberEvent(
            e,
            subjects.get(e.subscriber.id) ?? {
              subscriber: { id: e.subscriber.id, name: e.subscriber.name },
              peers: [],
            },
            newId(),
          ),
        );
      });
    },
    notify: async (trx, notifications, opts) => {
      if (notifications.length > 0)
        await enqueue(trx, async () => notifications, opts?.only === 'subscribers');
    },
    committed() {
      if (!wrote) return;
      wrote = false;
      options.onDeliveries?.();
    },
  };
}

/** Stores subscriber events (values as JSON text, bigints already strings). */
async function insertSubscriberEvents(
  trx: Kysely<Database>,
  events: readonly SubscriberEvent[],
): Promise<void> {
  for (let i = 0; i < events.length; i += CHUNK)
    await trx
      .insertInto('subscriber_events')
      .values(
        events.slice(i, i + CHUNK).map((e) => ({
          type: e.type,
          subscriber_id: e.subscriber.id,
          subscriber_name: e.subscriber.name,
          message: e.message,
          data: JSON.stringify(e.values),
          created_at: e.at,
        })),
      )
      .execute();
}

async function insertEvents(trx: Kysely<Database>, events: readonly EventRecord[]) {
  for (let i = 0; i < events.length; i += CHUNK)
    await trx
      .insertInto('peer_events')
      .values(
        events.slice(i, i + CHUNK).map((e) => ({
          type: e.type,
          peer_id: e.peerId,
          configuration_id: e.configurationId,
          node_id: e.nodeId,
          peer_name: e.peerName,
          peer_public_key: e.peerPublicKey,
          message: e.message,
          data: JSON.stringify(e.values),
          created_at: e.at,
        })),
      )
      .execute();
}

/** Writes outbox rows (pending, due at once). */
export async function insertDeliveries(trx: Kysely<Database>, deliveries: readonly NewDelivery[]) {
  for (let i = 0; i < deliveries.length; i += CHUNK)
    await trx
      .insertInto('notification_deliveries')
      .values(
        deliveries.slice(i, i + CHUNK).map((d) => ({
          id: d.id,
          event_id: d.eventId,
          action: d.action,
          channel: d.channel,
          target: d.target.slice(0, 400),
          webhook_id: d.webhookId,
          payload: JSON.stringify(d.payload),
          status: -1,
          attempts: 0,
          next_attempt_at: d.createdAt,
          created_at: d.createdAt,
        })),
      )
      .execute();
}

async function activeWebhooks(trx: Kysely<Database>): Promise<WebhookSubscription[]> {
  const rows = await trx
    .selectFrom('webhooks')
    .select(['id', 'subscribed_actions'])
    .where('is_active', '=', true)
    .execute();
  return rows.map((r) => ({ id: r.id, subscribedActions: parseList(r.subscribed_actions) }));
}

export function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The peer (as the API lists it), configuration and node of each event, read in `trx`. */
async function subjectsOf(
  trx: Kysely<Database>,
  events: readonly EventRecord[],
): Promise<EventSubject[]> {
  const peerIds = [...new Set(events.flatMap((e) => (e.peerId === null ? [] : [e.peerId])))];
  const peers = new Map<number, Selectable<PeersTable>>();
  for (let i = 0; i < peerIds.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('peers')
      .selectAll()
      .where('id', 'in', peerIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) peers.set(r.id, r);
  }
  const configurationIds = [
    ...new Set(events.flatMap((e) => (e.configurationId === null ? [] : [e.configurationId]))),
  ];
  const configurations = new Map<number, { name: string; node: string }>();
  if (configurationIds.length > 0) {
    const rows = await trx
      .selectFrom('configurations as c')
      .innerJoin('nodes as n', 'n.id', 'c.node_id')
      .select(['c.id', 'c.name', 'n.name as node'])
      .where('c.id', 'in', configurationIds)
      .execute();
    for (const r of rows) configurations.set(r.id, { name: r.name, node: r.node });
  }
  const nodeIds = [...new Set(events.flatMap((e) => (e.nodeId === null ? [] : [e.nodeId])))];
  const nodes = new Map<number, string>();
  if (nodeIds.length > 0) {
    const rows = await trx
      .selectFrom('nodes')
      .select(['id', 'name'])
      .where('id', 'in', nodeIds)
      .execute();
    for (const r of rows) nodes.set(r.id, r.name);
  }
  return events.map((e) => {
    const c = e.configurationId === null ? undefined : configurations.get(e.configurationId);
    return {
      peer: peerJsonOf(e.peerId === null ? undefined : peers.get(e.peerId), e.at),
      configuration: c?.name ?? null,
      node: c?.node ?? (e.nodeId === null ? null : (nodes.get(e.nodeId) ?? null)),
    };
  });
}

/** The peer as the API lists it, at the event's time (never a key). */
function peerJsonOf(row: Selectable<PeersTable> | undefined, at: Date): PeerJson | null {
  return row ? toPeerJson(row, at) : null;
}
