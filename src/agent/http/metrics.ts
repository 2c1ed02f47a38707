import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerProcessMetrics } from '../../shared/process-metrics.js';
import type { Dump } from '../../shared/wire/agent-api.js';

/**
 * The agent's Prometheus metrics. Peer series follow MindFlavor's prometheus_wireguard_exporter
 * (the names Grafana's WireGuard dashboards query), labelled as it labels them: interface, public
 * key, allowed IPs (comma-separated) and friendly name (`# friendly_name = …` in the wg-quick
 * file's peer section; empty without one).
 */
const PEER_LABELS = ['interface', 'public_key', 'allowed_ips', 'friendly_name'] as const;

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly sent = new Counter({
    name: 'wireguard_sent_bytes_total',
    help: 'Bytes sent to the peer by this node (raw WireGuard counter; restarts at 0 when the peer or interface is re-created)',
    labelNames: PEER_LABELS,
    registers: [this.registry],
  });
  private readonly received = new Counter({
    name: 'wireguard_received_bytes_total',
    help: 'Bytes received from the peer by this node (raw WireGuard counter; restarts at 0 when the peer or interface is re-created)',
    labelNames: PEER_LABELS,
    registers: [this.registry],
  });
  private readonly handshake = new Gauge({
    name: 'wireguard_latest_handshake_seconds',
    help: 'Unix time in seconds of the latest handshake with the peer; 0 if it never completed one',
    labelNames: PEER_LABELS,
    registers: [this.registry],
  });
  private readonly peers = new Gauge({
    name: 'wireguard_interface_peers',
    help: 'Number of peers configured on the WireGuard interface',
    labelNames: ['interface'] as const,
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'wgfleet_agent_http_requests_total',
    help: 'HTTP requests the agent answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'wgfleet_agent_http_request_duration_seconds',
    help: 'Seconds from receiving an HTTP request to sending its response, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(version = 'unknown') {
    registerProcessMetrics(this.registry, 'wgfleet_agent_', version);
  }

  /**
   * Replaces the WireGuard series with the given dumps (interfaces gone since vanish too);
   * `names` maps interface → public key → friendly name.
   */
  setDumps(
    dumps: readonly Dump[],
    names: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(),
  ): void {
    this.sent.reset();
    this.received.reset();
    this.handshake.reset();
    this.peers.reset();
    for (const d of dumps) {
      const iface = d.interface.name;
      this.peers.set({ interface: iface }, d.peers.length);
      for (const p of d.peers) {
        const labels = {
          interface: iface,
          public_key: p.public_key,
          allowed_ips: p.allowed_ips.join(','),
          friendly_name: names.get(iface)?.get(p.public_key) ?? '',
        };
        this.sent.inc(labels, p.transfer_tx);
        this.received.inc(labels, p.transfer_rx);
        this.handshake.set(labels, p.latest_handshake ?? 0);
      }
    }
  }
}
