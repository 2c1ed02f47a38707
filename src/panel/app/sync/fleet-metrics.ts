import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PollObserver } from './poller.js';

/** HELP texts of the fleet's metrics (tests check them word for word). */
export const FLEET_METRIC_HELP = {
  polls: 'Polls of node agents, by node and result (success or failure).',
  pollDuration:
    'Seconds one poll of a node took: health check, dumps of its enabled configurations and their processing.',
  up: 'Whether the node answered its last poll (1) or not (0).',
  cycle: 'Seconds from the start of a poll cycle until every node polled in it was done.',
  drift: 'Peers present on the interface of a configuration that the panel does not know (drift).',
  certificate:
    "Whether the node's last poll failed because its agent presented a certificate other than the pinned one (1) or not (0).",
  interfaceUp:
    "Whether the last poll found the configuration's interface on its node (1) or found it missing (0).",
} as const;

/** The poller's Prometheus metrics, registered in the panel's registry. */
export class FleetMetrics implements PollObserver {
  private readonly polls: Counter<'node' | 'result'>;
  private readonly pollDuration: Histogram<'node'>;
  private readonly up: Gauge<'node'>;
  private readonly cycle: Histogram;
  private readonly drift: Gauge<'configuration'>;
  private readonly certificate: Gauge<'node'>;
  private readonly interface: Gauge<'configuration'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.polls = new Counter({
      name: 'wgfleet_panel_node_polls_total',
      help: FLEET_METRIC_HELP.polls,
      labelNames: ['node', 'result'],
      registers,
    });
    this.pollDuration = new Histogram({
      name: 'wgfleet_panel_node_poll_duration_seconds',
      help: FLEET_METRIC_HELP.pollDuration,
      labelNames: ['node'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.up = new Gauge({
      name: 'wgfleet_panel_node_up',
      help: FLEET_METRIC_HELP.up,
      labelNames: ['node'],
      registers,
    });
    this.certificate = new Gauge({
      name: 'wgfleet_panel_node_certificate_mismatch',
      help: FLEET_METRIC_HELP.certificate,
      labelNames: ['node'],
      registers,
    });
    this.cycle = new Histogram({
      name: 'wgfleet_panel_poll_cycle_duration_seconds',
      help: FLEET_METRIC_HELP.cycle,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.drift = new Gauge({
      name: 'wgfleet_panel_configuration_drift_peers',
      help: FLEET_METRIC_HELP.drift,
      labelNames: ['configuration'],
      registers,
    });
    this.interface = new Gauge({
      name: 'wgfleet_configuration_interface_up',
      help: FLEET_METRIC_HELP.interfaceUp,
      labelNames: ['configuration'],
      registers,
    });
  }

  nodePolled(node: string, ok: boolean, seconds: number, failure?: string): void {
    this.polls.inc({ node, result: ok ? 'success' : 'failure' });
    this.certificate.set({ node }, failure === 'pin_mismatch' ? 1 : 0);
    this.pollDuration.observe({ node }, seconds);
    this.up.set({ node }, ok ? 1 : 0);
  }

  cycleDone(seconds: number): void {
    this.cycle.observe(seconds);
  }

  nodeForgotten(node: string): void {
    for (const result of ['success', 'failure']) this.polls.remove({ node, result });
    this.pollDuration.remove({ node });
    this.up.remove({ node });
    this.certificate.remove({ node });
  }

  driftOf(configuration: string, count: number): void {
    this.drift.set({ configuration }, count);
  }

  interfaceUp(configuration: string, up: boolean): void {
    this.interface.set({ configuration }, up ? 1 : 0);
  }

  configurationForgotten(configuration: string): void {
    this.drift.remove({ configuration });
    this.interface.remove({ configuration });
  }
}
