import type { NodeStatus } from '../../domain/vocabulary.js';
import type { AdoptedInterface } from './adopt-interfaces.js';

/** A node as the API shows it: never its token. */
export interface NodeSummary {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly publicHost: string | null;
  readonly status: NodeStatus;
  readonly lastSeenAt: Date | null;
  readonly lastError: string | null;
  readonly agentVersion: string | null;
  readonly rttMs: number | null;
  readonly createdAt: Date;
  readonly configurations: number;
  readonly peers: number;
}

/** What the panel needs to call a node's agent. `token` is a secret. */
export interface NodeCredentials {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly token: string;
  readonly fingerprint: string;
  readonly publicHost: string | null;
  readonly status: NodeStatus;
}

/** A node to insert, as it answered at join time. */
export interface NewNode {
  readonly name: string;
  readonly url: string;
  readonly token: string;
  readonly fingerprint: string;
  readonly publicHost: string | null;
  readonly agentVersion: string;
  readonly rttMs: number;
  readonly seenAt: Date;
}

/** One adopted configuration, after insert. */
export interface AdoptedConfiguration {
  readonly id: number;
  readonly name: string;
  readonly interfaceName: string;
  readonly importedPeers: number;
}

/** Storage of nodes for the nodes use cases. */
export interface NodeStore {
  list(): Promise<NodeSummary[]>;
  summary(id: number): Promise<NodeSummary | null>;
  credentials(id: number): Promise<NodeCredentials | null>;
  /** Every node's id. */
  ids(): Promise<number[]>;
  idByName(name: string): Promise<number | null>;
  /**
   * Inserts the node, one configuration per interface (named by `configurationNameFor`) and
   * their peers, in one transaction. Throws a `conflict` PanelError when the name is taken.
   */
  insertWithInterfaces(
    node: NewNode,
    interfaces: readonly AdoptedInterface[],
  ): Promise<{ readonly id: number; readonly configurations: AdoptedConfiguration[] }>;
  /** Changes name, public host or credentials; throws `conflict` on a taken name. */
  update(
    id: number,
    patch: {
      readonly name?: string;
      readonly publicHost?: string | null;
      readonly url?: string;
      readonly token?: string;
      readonly fingerprint?: string;
    },
  ): Promise<void>;
  /** Deletes the node (its configurations and peers go with it); returns those configurations. */
  delete(
    id: number,
  ): Promise<{ readonly configurations: { readonly id: number; readonly name: string }[] } | null>;
}
