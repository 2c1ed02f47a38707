import type { Kysely } from 'kysely';
import type { EventFilter, EventReader, StoredEvent } from '../../../app/events/event-query.js';
import type { PeerEvent } from '../../../app/events/peer-event.js';
import type { Database } from '../schema/database.js';
import type { DatabaseHandle } from '../open-database.js';
import { toSafeNumber } from '../values.js';

/** Stored peer events, filtered and paged (newest first). */
export function createEventReader(handle: DatabaseHandle): EventReader {
  return {
    async find(f: EventFilter) {
      let q = handle.db
        .selectFrom('peer_events')
        .leftJoin('configurations', 'configurations.id', 'peer_events.configuration_id');
      if (f.configurationId !== undefined)
        q = q.where('peer_events.configuration_id', '=', f.configurationId);
      if (f.peerId !== undefined) q = q.where('peer_events.peer_id', '=', f.peerId);
      if (f.types && f.types.length > 0) q = q.where('peer_events.type', 'in', [...f.types]);
      if (f.from) q = q.where('peer_events.created_at', '>=', f.from);
      if (f.to) q = q.where('peer_events.created_at', '<', f.to);
      const total = await q
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await q
        .select([
          'peer_events.id',
          'peer_events.type',
          'peer_events.peer_id',
          'peer_events.configuration_id',
          'configurations.name as configuration_name',
          'peer_events.node_id',
          'peer_events.peer_name',
          'peer_events.peer_public_key',
          'peer_events.message',
          'peer_events.data',
          'peer_events.created_at',
        ])
        .orderBy('peer_events.created_at', 'desc')
        .orderBy('peer_events.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
      const events = rows.map((r): StoredEvent => ({
        id: r.id,
        type: r.type,
        peerId: r.peer_id,
        configurationId: r.configuration_id,
        configurationName: r.configuration_name,
        nodeId: r.node_id,
        peerName: r.peer_name,
        peerPublicKey: r.peer_public_key,
        message: r.message,
        values: parse(r.data),
        createdAt: r.created_at,
      }));
      return { events, total: toSafeNumber(total.n, 'count') };
    },
  };
}

function parse(data: string | null): Record<string, unknown> {
  if (data === null) return {};
  try {
    const v = JSON.parse(data) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Stores events (values as JSON text, bigints already strings). */
export async function insertPeerEvents(
  executor: Kysely<Database>,
  events: readonly PeerEvent[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await executor
      .insertInto('peer_events')
      .values(
        events.slice(i, i + 500).map((e) => ({
          type: e.type,
          peer_id: e.peer.id,
          configuration_id: e.peer.configurationId,
          node_id: e.peer.nodeId,
          peer_name: e.peer.name,
          peer_public_key: e.peer.publicKey,
          message: e.message,
          data: JSON.stringify(e.values),
          created_at: e.at,
        })),
      )
      .execute();
  }
}
