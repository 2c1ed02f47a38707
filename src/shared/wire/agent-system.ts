/** `GET /v1/system`: the node's load, memory, disks, network counters and uptime. */
import { Type, type Static } from 'typebox';

const Bytes = Type.Integer({ minimum: 0 });
const Percent = Type.Number({ minimum: 0, maximum: 100, description: 'One decimal' });

export const SystemDisk = Type.Object({
  mount: Type.String(),
  fs_type: Type.String(),
  total: Bytes,
  used: Bytes,
  free: Bytes,
  percent: Percent,
});

export const SystemNetworkInterface = Type.Object({
  name: Type.String(),
  rx_bytes: Bytes,
  tx_bytes: Bytes,
  rx_packets: Bytes,
  tx_packets: Bytes,
  rx_errors: Bytes,
  tx_errors: Bytes,
  rx_dropped: Bytes,
  tx_dropped: Bytes,
  rx_rate: Type.Union([Type.Number(), Type.Null()], {
    description: 'Bytes per second received since the previous call (null on the first)',
  }),
  tx_rate: Type.Union([Type.Number(), Type.Null()], {
    description: 'Bytes per second sent since the previous call (null on the first)',
  }),
});

export const SystemStatus = Type.Object({
  hostname: Type.String(),
  at: Type.String({ description: 'When it was read, ISO 8601 (the node’s clock)' }),
  uptime_seconds: Type.Number(),
  load: Type.Array(Type.Number(), { description: 'Load averages over 1, 5 and 15 minutes' }),
  cpu: Type.Object({
    count: Type.Integer(),
    percent: Percent,
    per_cpu: Type.Array(Percent),
    since: Type.String({
      description: 'Busy share since the previous call to /v1/system, or since boot on the first',
    }),
  }),
  memory: Type.Object({ total: Bytes, available: Bytes, percent: Percent }),
  swap: Type.Object({ total: Bytes, free: Bytes, percent: Percent }),
  disks: Type.Array(SystemDisk, { description: 'Filesystems on block devices, and /' }),
  network: Type.Array(SystemNetworkInterface),
  route_metrics: Type.Record(Type.String(), Type.Integer(), {
    description: 'Lowest IPv4 route metric per interface, where one is set (as `ip route` shows)',
  }),
});
export type SystemStatus = Static<typeof SystemStatus>;
