import type { Logger } from 'pino';
import { parseNetwork } from '../../../shared/ip.js';
import { isInterfaceName } from '../../../shared/wg-names.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { agentErrorToPanel, agentFailure, type FleetAgent } from '../nodes/fleet-agent.js';
import type { ConvergeResult } from '../sync/ports.js';
import type { ConfigurationStats, ConfigurationStore } from './configuration-store.js';
import { parsePeerDefaults, type PeerDefaultsInput } from './peer-defaults.js';

/** A peer counts as connected when its last handshake is this recent (WireGuard re-keys every 2 min). */
export const CONNECTED_WITHIN_MS = 3 * 60_000;

export interface ConfigurationsDeps {
  readonly store: ConfigurationStore;
  /** The agent client of a node and its name, or a not-found error. */
  readonly agentOfNode: (nodeId: number) => Promise<{ agent: FleetAgent; nodeName: string }>;
  /** Resolves a node by id or name (not found → error); null ref → the only node, if one. */
  readonly resolveNode: (ref: number | string | null) => Promise<number>;
  readonly converge: (configurationId: number) => Promise<ConvergeResult>;
  /** Told after a configuration was deleted (in-memory sync state, metrics). */
  readonly onDeleted?: (configurationId: number, name: string) => void;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** What addWireguardConfiguration takes (WGDashboard's names where it has them). */
export interface ConfigurationInput {
  readonly name: string;
  readonly address: string | readonly string[];
  readonly listenPort: number;
  readonly node: number | string | null;
  readonly mtu?: number | null;
  readonly dns?: string | null;
  readonly endpointAllowedIp?: string | null;
  readonly keepalive?: number | null;
  readonly postUp?: string | null;
  readonly postDown?: string | null;
}

function addressList(address: string | readonly string[]): string[] {
  const list = (typeof address === 'string' ? address.split(',') : [...address])
    .map((a) => a.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw invalidInput('Address', 'give at least one address such as 10.8.0.1/24');
  list.forEach((a) => {
    if (!parseNetwork(a)) throw invalidInput('Address', `"${a}" is not a CIDR such as 10.8.0.1/24`);
  });
  return list;
}

const overlaps = (a: string, b: string) => {
  const [x, y] = [parseNetwork(a), parseNetwork(b)];
  return !!x && !!y && x.family === y.family && x.first <= y.last && y.first <= x.last;
};

/** Configurations (a node's interfaces): list with aggregates, create, turn on/off, delete. */
export class ConfigurationsService {
  constructor(private readonly deps: ConfigurationsDeps) {}

  /** With aggregates; a stopped interface has no peer connected, however recent a handshake. */
  async list(name?: string): Promise<ConfigurationStats[]> {
    const all = await this.deps.store.listWithStats(
      new Date(this.deps.now().getTime() - CONNECTED_WITHIN_MS),
      name,
    );
    return all.map((c) => (c.enabled ? c : { ...c, peers: { ...c.peers, connected: 0 } }));
  }

  /** Creates the interface on the node (its private key is made there), then stores it. */
  async add(input: ConfigurationInput): Promise<ConfigurationStats> {
    const name = input.name.trim();
    if (!isInterfaceName(name))
      throw invalidInput(
        'ConfigurationName',
        'must be 1–15 letters, digits or _=+.- (it names the interface)',
      );
    const addresses = addressList(input.address);
    if (!Number.isInteger(input.listenPort) || input.listenPort < 1 || input.listenPort > 65535)
      throw invalidInput('ListenPort', 'must be an integer from 1 to 65535');
    const nodeId = await this.deps.resolveNode(input.node);
    if (await this.deps.store.byName(name))
      throw conflict(`Already have a configuration with the name "${name}"`, name);
    for (const other of await this.deps.store.ofNode(nodeId)) {
      if (other.listenPort === input.listenPort)
        throw conflict(`Already have a configuration with the port "${input.listenPort}"`, name);
      const clash = addresses.find((a) =>
        other.address.split(',').some((b) => overlaps(a, b.trim())),
      );
      if (clash) throw conflict(`Already have a configuration with the address "${clash}"`, name);
    }
    const { agent, nodeName } = await this.deps.agentOfNode(nodeId);
    let created;
    try {
      created = await agent.createInterface({
        name,
        address: addresses,
        listen_port: input.listenPort,
        ...(input.mtu != null && { mtu: input.mtu }),
        ...(input.postUp && { post_up: input.postUp }),
        ...(input.postDown && { post_down: input.postDown }),
      });
    } catch (e) {
      throw agentErrorToPanel(nodeName, e);
    }
    let id: number;
    try {
      id = await this.deps.store.insert({
        nodeId,
        name,
        interfaceName: name,
        address: addresses.join(', '),
        listenPort: created.listen_port ?? input.listenPort,
        publicKey: created.public_key ?? '',
        mtu: input.mtu ?? null,
        dns: input.dns?.trim() || null,
        endpointAllowedIp: input.endpointAllowedIp?.trim() || null,
        keepalive: input.keepalive ?? null,
      });
    } catch (e) {
      // Nothing half-made: the interface goes again when the panel cannot keep it.
      await agent
        .deleteInterface(name)
        .catch((err: unknown) =>
          this.deps.logger.error(
            { err: agentFailure(err).message, configuration: name },
            'could not undo the interface',
          ),
        );
      throw e;
    }
    this.deps.logger.info(
      { configuration: name, nodeId, configurationId: id },
      'configuration created',
    );
    const [stats] = await this.list(name);
    if (!stats) throw notFound('configuration', name);
    return stats;
  }

  /**
   * Changes the defaults new peers of a configuration get (client DNS, client AllowedIPs,
   * keepalive); peers already made keep theirs. Returns the configuration as it is now.
   */
  async updatePeerDefaults(name: string, input: PeerDefaultsInput): Promise<ConfigurationStats> {
    const [current] = await this.list(name);
    if (!current) throw notFound('configuration', name);
    const defaults = parsePeerDefaults(input, current);
    await this.deps.store.setPeerDefaults(current.id, defaults);
    this.deps.logger.info(
      { configuration: name, configurationId: current.id, fields: Object.keys(defaults) },
      'configuration defaults changed',
    );
    const [stats] = await this.list(name);
    if (!stats) throw notFound('configuration', name);
    return stats;
  }

  /** Turns the interface up or down on its node and stores that; returns whether it is now up. */
  async toggle(name: string): Promise<boolean> {
    const config = await this.deps.store.byName(name);
    if (!config) throw notFound('configuration', name);
    const { agent } = await this.deps.agentOfNode(config.nodeId);
    const enable = !config.enabled;
    try {
      if (enable) await agent.up(config.interfaceName);
      else await agent.down(config.interfaceName);
    } catch (e) {
      throw agentErrorToPanel(config.nodeName, e);
    }
    await this.deps.store.setEnabled(config.id, enable);
    this.deps.logger.info({ configuration: name, up: enable }, 'configuration toggled');
    if (enable) await this.deps.converge(config.id);
    return enable;
  }

  /** Removes the interface from its node (peers and all), then from the panel. */
  async delete(name: string): Promise<void> {
    const config = await this.deps.store.byName(name);
    if (!config) throw notFound('configuration', name);
    const { agent } = await this.deps.agentOfNode(config.nodeId);
    try {
      await agent.deleteInterface(config.interfaceName);
    } catch (e) {
      const f = agentFailure(e);
      // Already gone from the node: removing it from the panel is what is left to do.
      if (!(f.kind === 'rejected' && f.status === 404)) throw agentErrorToPanel(config.nodeName, e);
    }
    await this.deps.store.delete(config.id);
    this.deps.onDeleted?.(config.id, config.name);
    this.deps.logger.info({ configuration: name, nodeId: config.nodeId }, 'configuration deleted');
  }
}
