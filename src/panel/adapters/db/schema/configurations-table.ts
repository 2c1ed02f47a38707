import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * `configurations`: one WireGuard interface on one node. Unique by (node_id, interface_name);
 * `name` is the panel-wide name used in `/api/<action>/<configName>`.
 *
 * The interface's private key is not stored: it never leaves the node.
 */
export interface ConfigurationsTable {
  id: Generated<number>;
  /** → nodes.id, ON DELETE CASCADE. */
  node_id: number;
  /** Unique in the panel (the interface name, or `<node>-<interface>` when two nodes share one). */
  name: string;
  /** The interface name on the node, e.g. `wg0`. */
  interface_name: string;
  /** Interface addresses with prefix, comma-separated: `10.8.0.1/24, fd00:8::1/64`. */
  address: string;
  listen_port: number;
  public_key: string;
  /** Interface MTU; null → WireGuard's default. */
  mtu: number | null;
  /** DNS servers written into client configs; null → none. */
  dns: string | null;
  /** Default `AllowedIPs` of client configs; null → `0.0.0.0/0, ::/0`. */
  endpoint_allowed_ip: string | null;
  /** Default `PersistentKeepalive` of client configs; null → none. */
  keepalive: number | null;
  /**
   * The interface incarnation (agent dump `interface.instance`) the peers' raw counters were read
   * from; null until known. Another value in a poll means every raw counter restarted.
   */
  counters_instance: string | null;
  /** What the last poll found of the interface (`up`, `missing`); null until a poll told. */
  interface_status: string | null;
  /** Desired state of the interface (toggleWireguardConfiguration). Defaults to true. */
  enabled: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A `configurations` row as read. */
export type ConfigurationRow = Selectable<ConfigurationsTable>;
/** A `configurations` row to insert. */
export type ConfigurationInsert = Insertable<ConfigurationsTable>;
/** A partial `configurations` row to update. */
export type ConfigurationUpdate = Updateable<ConfigurationsTable>;
