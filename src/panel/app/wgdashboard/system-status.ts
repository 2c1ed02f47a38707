import type { SystemStatus } from '../../../shared/wire/agent-system.js';
import type { SystemStatusJson } from '../../../shared/wire/panel/wgdashboard.js';
import { invalidInput, notFound } from '../errors.js';
import { agentErrorToPanel } from '../nodes/fleet-agent.js';

/** What systemStatus needs of a node's agent. */
export interface SystemAgent {
  system(): Promise<SystemStatus>;
}

/** The nodes, by name, each with its agent. */
export interface SystemNodes {
  list(): Promise<{ readonly name: string; readonly agent: () => SystemAgent }[]>;
}

const mib = (bytesPerSecond: number | null) =>
  bytesPerSecond === null ? 0 : Math.round((bytesPerSecond / 1024 / 1024) * 10_000) / 10_000;

/** A node's status from its agent, in WGDashboard 4.3's systemStatus shape. */
export function toSystemStatusJson(node: string, s: SystemStatus): SystemStatusJson {
  return {
    CPU: { cpu_percent: s.cpu.percent, cpu_percent_per_cpu: s.cpu.per_cpu },
    Memory: {
      VirtualMemory: s.memory,
      SwapMemory: { total: s.swap.total, available: s.swap.free, percent: s.swap.percent },
    },
    Disks: s.disks.map((d) => ({
      total: d.total,
      used: d.used,
      free: d.free,
      percent: d.percent,
      mountPoint: d.mount,
    })),
    NetworkInterfaces: Object.fromEntries(
      s.network.map((n) => [
        n.name,
        {
          bytes_sent: n.tx_bytes,
          bytes_recv: n.rx_bytes,
          packets_sent: n.tx_packets,
          packets_recv: n.rx_packets,
          errin: n.rx_errors,
          errout: n.tx_errors,
          dropin: n.rx_dropped,
          dropout: n.tx_dropped,
          realtime: { sent: mib(n.tx_rate), recv: mib(n.rx_rate) },
        },
      ]),
    ),
    NetworkInterfacesPriority: s.route_metrics,
    Processes: { cpu_top_10: [], memory_top_10: [] },
    Node: {
      name: node,
      hostname: s.hostname,
      uptime_seconds: s.uptime_seconds,
      load: s.load,
      at: s.at,
    },
  };
}

/**
 * WGDashboard 4.3's systemStatus, per node: the named node (`node`), or the only one. 4.3 has one
 * host; a fleet has several, so with more than one node the name is required.
 */
export async function systemStatus(nodes: SystemNodes, name?: string): Promise<SystemStatusJson> {
  const all = await nodes.list();
  const node =
    name === undefined ? (all.length === 1 ? all[0] : undefined) : all.find((n) => n.name === name);
  if (!node) {
    if (name !== undefined) throw notFound('node', name);
    if (all.length === 0) throw notFound('node');
    throw invalidInput(
      'node',
      `the panel has ${all.length} nodes: name one (${all.map((n) => n.name).join(', ')})`,
    );
  }
  try {
    return toSystemStatusJson(node.name, await node.agent().system());
  } catch (e) {
    throw agentErrorToPanel(node.name, e);
  }
}
