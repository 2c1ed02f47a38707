import type { NodeStatus } from '../../domain/vocabulary.js';

/** A configuration with its node and the aggregates of its peers (one query for all). */
export interface ConfigurationStats {
  readonly id: number;
  readonly name: string;
  readonly interfaceName: string;
  readonly address: string;
  readonly listenPort: number;
  readonly publicKey: string;
  readonly mtu: number | null;
  readonly dns: string | null;
  readonly endpointAllowedIp: string | null;
  readonly keepalive: number | null;
  readonly enabled: boolean;
  /** What the last poll found of the interface on the node; null until a poll told. */
  readonly interfaceSeen: 'up' | 'missing' | null;
  readonly createdAt: Date;
  readonly node: {
    readonly id: number;
    readonly name: string;
    readonly status: NodeStatus;
    readonly publicHost: string | null;
    readonly url: string;
  };
  readonly peers: {
    readonly total: number;
    readonly active: number;
    readonly restricted: number;
    /** Peers with a handshake since the `connectedSince` instant of the query. */
    readonly connected: number;
  };
  readonly usage: {
    readonly periodRx: bigint;
    readonly periodTx: bigint;
    readonly lifetimeRx: bigint;
    readonly lifetimeTx: bigint;
  };
}

/** A configuration's identity and desired state. */
export interface ConfigurationRef {
  readonly id: number;
  readonly name: string;
  readonly interfaceName: string;
  readonly enabled: boolean;
  readonly nodeId: number;
  readonly nodeName: string;
}

export interface NewConfiguration {
  readonly nodeId: number;
  readonly name: string;
  readonly interfaceName: string;
  readonly address: string;
  readonly listenPort: number;
  readonly publicKey: string;
  readonly mtu: number | null;
  readonly dns: string | null;
  readonly endpointAllowedIp: string | null;
  readonly keepalive: number | null;
}

/** What a new peer of a configuration gets unless it says otherwise. */
export interface PeerDefaults {
  readonly dns?: string | null;
  readonly endpointAllowedIp?: string | null;
  readonly keepalive?: number | null;
}

/** Storage of configurations for their use cases. */
export interface ConfigurationStore {
  listWithStats(connectedSince: Date, name?: string): Promise<ConfigurationStats[]>;
  byName(name: string): Promise<ConfigurationRef | null>;
  /** Name, address and port of every configuration of a node (for clash checks). */
  ofNode(
    nodeId: number,
  ): Promise<{ readonly name: string; readonly address: string; readonly listenPort: number }[]>;
  /** Inserts; throws a `conflict` PanelError when the name is taken. */
  insert(row: NewConfiguration): Promise<number>;
  setEnabled(id: number, enabled: boolean): Promise<void>;
  /** Sets the defaults new peers get; the fields left out keep their value. */
  setPeerDefaults(id: number, defaults: PeerDefaults): Promise<void>;
  /** Deletes the configuration and its peers; false when it was not there. */
  delete(id: number): Promise<boolean>;
}

/**
 * The configuration's interface as an operator needs to see it: `down` when the configuration is
 * turned off (the panel took it down and does not poll it), `missing` when the last poll found no
 * such interface on the node (deleted outside the panel), else `up` (also before a first poll: a
 * configuration is made or adopted from a live interface). Quotas on a missing interface cannot
 * be enforced (nothing is observed, nothing can be cut) until it is back.
 */
export function interfaceStatusOf(c: Pick<ConfigurationStats, 'enabled' | 'interfaceSeen'>) {
  if (!c.enabled) return 'down' as const;
  return c.interfaceSeen === 'missing' ? ('missing' as const) : ('up' as const);
}
