import type { Logger } from 'pino';
import type { Dump } from '../../../shared/wire/agent-api.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { checkNodeName, checkPublicHost, endpointOf } from './node-input.js';
import { adoptInterface, type AdoptedInterface } from './adopt-interfaces.js';
import { agentErrorToPanel, type AgentEndpoint, type FleetAgent } from './fleet-agent.js';
import type { AdoptedConfiguration, NodeStore, NodeSummary } from './node-store.js';

/** A short-lived agent connection for joining (closed after use). */
export interface JoiningAgent extends Pick<FleetAgent, 'health' | 'interfaces' | 'dump'> {
  close(): Promise<void>;
}

export interface NodesDeps {
  readonly store: NodeStore;
  /** Opens a client pinned to `endpoint` (join and re-pin). */
  readonly openAgent: (endpoint: AgentEndpoint) => JoiningAgent;
  /** Drops the cached client of a node (credentials changed, node deleted). */
  readonly forgetAgent: (nodeId: number) => Promise<void>;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Told after a node was added, re-pinned or deleted (poller, drift, metrics). */
  readonly onChange?: (
    event:
      | { readonly kind: 'added' | 'updated'; readonly nodeId: number }
      | {
          readonly kind: 'deleted';
          readonly nodeId: number;
          readonly name: string;
          readonly configurations: readonly { readonly id: number; readonly name: string }[];
        },
  ) => void;
}

/** The result of adding a node. */
export interface AddedNode {
  readonly node: NodeSummary;
  readonly configurations: readonly AdoptedConfiguration[];
  /** Interfaces left out, and why. */
  readonly skipped: readonly { readonly interfaceName: string; readonly reason: string }[];
}

/** Nodes: join by join string (adopting their interfaces), list, rename, re-pin, delete. */
export class NodesService {
  constructor(private readonly deps: NodesDeps) {}

  list(): Promise<NodeSummary[]> {
    return this.deps.store.list();
  }

  /** Resolves a node by id or name; throws not found. */
  async resolve(ref: number | string, field = 'node'): Promise<number> {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) {
      const id = Number(ref);
      if (await this.deps.store.credentials(id)) return id;
    }
    const byName = typeof ref === 'string' ? await this.deps.store.idByName(ref) : null;
    if (byName === null) throw notFound(field === 'node' ? 'node' : field, ref);
    return byName;
  }

  /**
   * The node a new configuration goes on: the one named (id or name), or, when none is named,
   * the only node there is (a panel with one node needs no `node` field).
   */
  async resolveOrOnly(ref: number | string | null): Promise<number> {
    if (ref !== null) return this.resolve(ref);
    const ids = await this.deps.store.ids();
    if (ids.length === 1 && ids[0] !== undefined) return ids[0];
    throw invalidInput(
      'node',
      ids.length === 0 ? 'add a node first' : 'say which node (id or name)',
    );
  }

  /**
   * Joins a node: connects with the pinned certificate, reads its interfaces (and the peers of
   * those that are up), then stores node, configurations and peers in one transaction.
   */
  async add(input: { name: string; join: string; publicHost?: string | null }): Promise<AddedNode> {
    const name = checkNodeName(input.name);
    const publicHost = checkPublicHost(input.publicHost);
    const endpoint = endpointOf(input.join);
    if ((await this.deps.store.idByName(name)) !== null)
      throw conflict(`a node named "${name}" already exists`, name, 'name');
    const agent = this.deps.openAgent(endpoint);
    let health;
    let rttMs: number;
    const adopted: AdoptedInterface[] = [];
    const skipped: { interfaceName: string; reason: string }[] = [];
    try {
      const t0 = performance.now();
      health = await agent.health();
      rttMs = Math.max(0, Math.round(performance.now() - t0));
      const interfaces = await agent.interfaces();
      const dumps = await Promise.all(
        interfaces.map((i) => (i.up ? agent.dump(i.name) : Promise.resolve<Dump | null>(null))),
      );
      interfaces.forEach((summary, i) => {
        const a = adoptInterface(summary, dumps[i] ?? null);
        if ('adopted' in a) adopted.push(a.adopted);
        else skipped.push({ interfaceName: a.skipped, reason: a.reason });
      });
    } catch (e) {
      throw agentErrorToPanel(name, e);
    } finally {
      await agent.close();
    }
    const { id, configurations } = await this.deps.store.insertWithInterfaces(
      {
        name,
        ...endpoint,
        publicHost,
        agentVersion: health.version,
        rttMs,
        seenAt: this.deps.now(),
      },
      adopted,
    );
    this.deps.logger.info(
      {
        node: name,
        nodeId: id,
        url: endpoint.url,
        configurations: configurations.map((c) => c.name),
        importedPeers: configurations.reduce((n, c) => n + c.importedPeers, 0),
      },
      'node added',
    );
    this.deps.onChange?.({ kind: 'added', nodeId: id });
    const node = await this.deps.store.summary(id);
    if (!node) throw notFound('node', id);
    return { node, configurations, skipped };
  }

  /** Renames, sets the public host, or re-pins with a new join string (after `agent init --rotate`). */
  async update(
    id: number,
    patch: { name?: string; publicHost?: string | null; join?: string },
  ): Promise<NodeSummary> {
    const current = await this.deps.store.credentials(id);
    if (!current) throw notFound('node', id);
    const name = patch.name === undefined ? undefined : checkNodeName(patch.name);
    const publicHost =
      patch.publicHost === undefined ? undefined : checkPublicHost(patch.publicHost);
    let endpoint: AgentEndpoint | undefined;
    if (patch.join !== undefined) {
      endpoint = endpointOf(patch.join);
      const agent = this.deps.openAgent(endpoint);
      try {
        await agent.health();
        await agent.interfaces(); // proves the token too: health needs none
      } catch (e) {
        throw agentErrorToPanel(current.name, e);
      } finally {
        await agent.close();
      }
    }
    await this.deps.store.update(id, {
      ...(name !== undefined && { name }),
      ...(publicHost !== undefined && { publicHost }),
      ...endpoint,
    });
    if (endpoint) await this.deps.forgetAgent(id);
    this.deps.logger.info(
      { nodeId: id, node: name ?? current.name, repinned: endpoint !== undefined },
      'node updated',
    );
    this.deps.onChange?.({ kind: 'updated', nodeId: id });
    const node = await this.deps.store.summary(id);
    if (!node) throw notFound('node', id);
    return node;
  }

  /** Forgets a node and everything of it in the panel; the node itself is left as it is. */
  async delete(id: number): Promise<void> {
    const current = await this.deps.store.credentials(id);
    const gone = current ? await this.deps.store.delete(id) : null;
    if (!current || !gone) throw notFound('node', id);
    await this.deps.forgetAgent(id);
    this.deps.logger.info({ nodeId: id, node: current.name }, 'node deleted');
    this.deps.onChange?.({
      kind: 'deleted',
      nodeId: id,
      name: current.name,
      configurations: gone.configurations,
    });
  }
}
