import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { NodeStatus } from '../../../domain/vocabulary.js';

/** `nodes`: one row per machine running a wgfleet agent. */
export interface NodesTable {
  id: Generated<number>;
  /** Unique in the panel. */
  name: string;
  /** The agent's base URL, e.g. `https://203.0.113.7:8787`. */
  url: string;
  /**
   * SECRET. The agent's bearer token, which the panel must present on every call: stored sealed
   * (`enc:v1:…`, see secrets/ in README.md), bound to the node's id; the repositories open it.
   * Never log it, never put it in an API answer.
   */
  token: string;
  /** SHA-256 fingerprint of the agent's TLS certificate, pinned at join time. */
  fingerprint: string;
  /** Host name or address clients use as their endpoint; null → the host of `url`. */
  public_host: string | null;
  /** Defaults to `offline` until the first successful poll. */
  status: Generated<NodeStatus>;
  last_seen_at: Date | null;
  /** Why the last poll failed (null after a success). */
  last_error: string | null;
  agent_version: string | null;
  /** Round-trip time of the last successful poll, in milliseconds. */
  rtt_ms: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A `nodes` row as read. */
export type NodeRow = Selectable<NodesTable>;
/** A `nodes` row to insert. */
export type NodeInsert = Insertable<NodesTable>;
/** A partial `nodes` row to update. */
export type NodeUpdate = Updateable<NodesTable>;
