import type { Generated, Insertable, Selectable } from 'kysely';
import type { PeerEventType } from '../../../domain/vocabulary.js';

/**
 * `peer_events`: what policy and operators did to peers (warning, exceeded, restricted, …).
 *
 * The references are ON DELETE SET NULL so history outlives the peer; `peer_name` and
 * `peer_public_key` keep a copy of who it was. Indexed by time alone and by each filter + time.
 */
export interface PeerEventsTable {
  id: Generated<number>;
  type: PeerEventType;
  /** → peers.id, ON DELETE SET NULL. */
  peer_id: number | null;
  /** → configurations.id, ON DELETE SET NULL. */
  configuration_id: number | null;
  /** → nodes.id, ON DELETE SET NULL. */
  node_id: number | null;
  peer_name: string | null;
  peer_public_key: string | null;
  /** The human log line, in the seed's wording. */
  message: string | null;
  /**
   * The event's values as JSON text (usage, limit, expiry, …). Text on every dialect so it reads
   * back the same everywhere; bigints must be written as strings.
   */
  data: string | null;
  created_at: Generated<Date>;
}

/** A `peer_events` row as read. */
export type PeerEventRow = Selectable<PeerEventsTable>;
/** A `peer_events` row to insert. */
export type PeerEventInsert = Insertable<PeerEventsTable>;
