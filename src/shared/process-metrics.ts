import { Gauge, collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * Registers the process's own series in `registry`: prom-client's default process and Node.js
 * metrics under `prefix`, and `<prefix>build_info{version, node_version} 1` (the `*_build_info`
 * convention: join it to any series to see which release produced it).
 */
export function registerProcessMetrics(registry: Registry, prefix: string, version: string): void {
  collectDefaultMetrics({ register: registry, prefix });
  // prom-client adds three gauges named `…_total`, a suffix Prometheus reserves for counters
  // (`promtool check metrics` refuses them). Each is the sum of the same gauge by type
  // (`…_nodejs_active_handles{type}`, …), which stays.
  for (const name of ['handles', 'requests', 'resources'])
    registry.removeSingleMetric(`${prefix}nodejs_active_${name}_total`);
  new Gauge({
    name: `${prefix}build_info`,
    help: 'Always 1; the labels name the wgfleet release and the Node.js version running it',
    labelNames: ['version', 'node_version'],
    registers: [registry],
  }).set({ version, node_version: process.versions.node }, 1);
}
