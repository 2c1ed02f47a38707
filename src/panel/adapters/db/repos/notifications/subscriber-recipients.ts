import { sql, type Kysely } from 'kysely';
import type { Contact, SubscriberSubject } from '../../../../app/notifications/notification.js';
import type { RecipientResolver } from '../../../../app/notifications/ports.js';
import type { Database } from '../../schema/database.js';
import type { NotificationLanguage } from '../../../../domain/vocabulary.js';
import { toBigInt } from '../../values.js';

const CHUNK = 500;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** A subscriber's own contacts: its e-mail address and its Telegram chat id, where set. */
function contactsOfRow(r: {
  email: string | null;
  telegram_chat_id: string | null;
  language: NotificationLanguage | null;
}): Contact[] {
  const out: Contact[] = [];
  // Its language, or null: the panel's (the fan-out decides); channels not set up are dropped
  // by the journal.
  const language = r.language;
  if (r.email) out.push({ channel: 'email', address: r.email, language, audience: 'subscriber' });
  if (r.telegram_chat_id)
    out.push({
      channel: 'telegram',
      address: r.telegram_chat_id,
      language,
      audience: 'subscriber',
    });
  return out;
}

/** The contacts of these subscribers (by id), read in `trx`. */
export async function subscriberContacts(
  trx: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, Contact[]>> {
  const out = new Map<number, Contact[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('subscribers')
      .select(['id', 'email', 'telegram_chat_id', 'language'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.id, contactsOfRow(r));
  }
  return out;
}

/** The peers' subscribers' contacts: a peer of a subscriber tells its subscriber. */
export const subscriberRecipients: RecipientResolver<Kysely<Database>> = {
  async contactsOf(trx, peerIds) {
    const out = new Map<number, Contact[]>();
    for (let i = 0; i < peerIds.length; i += CHUNK) {
      const rows = await trx
        .selectFrom('peers as p')
        .innerJoin('subscribers as s', 's.id', 'p.subscriber_id')
        .select(['p.id', 's.email', 's.telegram_chat_id', 's.language'])
        .where('p.id', 'in', peerIds.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) out.set(r.id, contactsOfRow(r));
    }
    return out;
  },
};

/**
 * Each subscriber as a notification's subject, read in the event's transaction: its quota, date,
 * status and usage in its period (every node), its peers with their configuration and node.
 * Never its token, never a key.
 */
export async function subscriberSubjects(
  trx: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, SubscriberSubject>> {
  const out = new Map<number, SubscriberSubject>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const subscribers = await trx
      .selectFrom('subscribers')
      .select([
        'id',
        'name',
        'email',
        'telegram_chat_id',
        'language',
        'status',
        'restriction_reason',
        'traffic_limit',
        'expiry_date',
        'period_started_at',
        'activated_at',
        'carried_rx',
        'carried_tx',
      ])
      .where('id', 'in', part)
      .execute();
    const peers = await trx
      .selectFrom('peers as p')
      .innerJoin('configurations as c', 'c.id', 'p.configuration_id')
      .innerJoin('nodes as n', 'n.id', 'c.node_id')
      .select([
        'p.subscriber_id',
        'p.public_key',
        'p.name',
        'p.status',
        'c.name as configuration',
        'n.name as node',
        sql<unknown>`p.lifetime_rx - p.subscriber_base_rx`.as('rx'),
        sql<unknown>`p.lifetime_tx - p.subscriber_base_tx`.as('tx'),
      ])
      .where('p.subscriber_id', 'in', part)
      .orderBy('p.id')
      .execute();
    for (const s of subscribers) {
      const own = peers.filter((p) => p.subscriber_id === s.id);
      const rx = own.reduce((a, p) => a + toBigInt(p.rx ?? 0, 'usage rx'), s.carried_rx);
      const tx = own.reduce((a, p) => a + toBigInt(p.tx ?? 0, 'usage tx'), s.carried_tx);
      out.set(s.id, {
        subscriber: {
          id: s.id,
          name: s.name,
          email: s.email,
          telegram_chat_id: s.telegram_chat_id,
          language: s.language,
          status: s.status,
          restriction_reason: s.restriction_reason,
          traffic_limit: s.traffic_limit === null ? null : Number(s.traffic_limit),
          expiry_date: iso(s.expiry_date),
          period_started_at: s.period_started_at.toISOString(),
          activated_at: iso(s.activated_at),
          usage: { upload: Number(rx), download: Number(tx), total: Number(rx + tx) },
        },
        peers: own.map((p) => ({
          id: p.public_key,
          name: p.name,
          status: p.status,
          configuration: p.configuration,
          node: p.node,
        })),
      });
    }
  }
  return out;
}
