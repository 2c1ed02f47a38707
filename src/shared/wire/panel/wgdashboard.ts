import { Type, type Static } from 'typebox';
import { ConfigName, Nullable } from './common.js';

/**
 * Shapes of the WGDashboard 4.3 routes that only exist for its scripts (docs/WGDASHBOARD.md):
 * the field names and nesting are 4.3's, read from its dashboard.py and modules.
 */

/** `getNumberOfAvailableIPs`: free host addresses by interface address. */
export const NumberOfAvailableIps = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));
export type NumberOfAvailableIps = Static<typeof NumberOfAvailableIps>;

/** `configurationName` and the peer's public key `id`, as 4.3's peer history routes take them. */
export const PeerOfConfigurationQuery = Type.Object({
  configurationName: ConfigName,
  id: Type.String({ minLength: 1, maxLength: 64, description: 'public key' }),
});

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });

/** `getPeerSessions`: days as 4.3 takes them (no startDate = today; no endDate = startDate). */
export const PeerSessionsQuery = Type.Object({
  ...PeerOfConfigurationQuery.properties,
  startDate: Type.Optional(Day),
  endDate: Type.Optional(Day),
});
export type PeerSessionsQuery = Static<typeof PeerSessionsQuery>;

/** `getPeerSessions`: the start of each minute the peer moved traffic, ISO 8601 UTC, in order. */
export const PeerSessions = Type.Array(Type.String());

/** `getPeerHistoricalEndpoints`: 4.3's `{endpoints: [{endpoint}], geolocation}`. */
export const PeerEndpointsJson = Type.Object({
  endpoints: Type.Array(
    Type.Object({
      endpoint: Type.String({ description: 'The address, without the port (as 4.3)' }),
      time: Nullable(Type.String({ description: 'Last handshake seen from it, ISO 8601 UTC' })),
    }),
  ),
  geolocation: Type.Array(Type.Unknown(), {
    description: 'Always empty: the panel does not send addresses to a geolocation service',
  }),
});
export type PeerEndpointsJson = Static<typeof PeerEndpointsJson>;

/** A body the route reads nothing of (it answers status:false whatever was sent). */
export const AnyBody = Type.Object({}, { additionalProperties: true });

/** `systemStatus?node=`: which node (its name); may be left out when the panel has one node. */
export const SystemStatusQuery = Type.Object({
  node: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

const Num = Type.Number();
const MemoryJson = Type.Object({ total: Num, available: Num, percent: Num });

/**
 * `systemStatus`: WGDashboard 4.3's shape (SystemStatus.py), of one node's host as its agent
 * reads it, plus `Node`. `Processes` is always empty: the agent does not list the node's
 * processes (their command lines may hold secrets).
 */
export const SystemStatusJson = Type.Object({
  CPU: Type.Object({ cpu_percent: Num, cpu_percent_per_cpu: Type.Array(Num) }),
  Memory: Type.Object({ VirtualMemory: MemoryJson, SwapMemory: MemoryJson }),
  Disks: Type.Array(
    Type.Object({ total: Num, used: Num, free: Num, percent: Num, mountPoint: Type.String() }),
  ),
  NetworkInterfaces: Type.Record(
    Type.String(),
    Type.Object({
      bytes_sent: Num,
      bytes_recv: Num,
      packets_sent: Num,
      packets_recv: Num,
      errin: Num,
      errout: Num,
      dropin: Num,
      dropout: Num,
      realtime: Type.Object(
        { sent: Num, recv: Num },
        { description: 'MiB per second since the previous status read (4.3: over one second)' },
      ),
    }),
  ),
  NetworkInterfacesPriority: Type.Record(Type.String(), Type.Integer()),
  Processes: Type.Object({
    cpu_top_10: Type.Array(Type.Unknown()),
    memory_top_10: Type.Array(Type.Unknown()),
  }),
  Node: Type.Object({
    name: Type.String(),
    hostname: Type.String(),
    uptime_seconds: Num,
    load: Type.Array(Num),
    at: Type.String(),
  }),
});
export type SystemStatusJson = Static<typeof SystemStatusJson>;

const Hook = Type.Optional(Nullable(Type.String({ maxLength: 1000 })));

/**
 * WGDashboard 4.3's updateWireguardConfiguration body: `Name` and the `[Interface]` settings it
 * edits (Address, ListenPort, PreUp, PostUp, PreDown, PostDown, Table), plus `MTU`. Its web UI
 * sends the whole configuration object: other fields are read as nothing.
 */
export const UpdateConfigurationBody = Type.Object(
  {
    Name: ConfigName,
    Address: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    ListenPort: Type.Optional(
      Type.Union([
        Type.Integer({ minimum: 1, maximum: 65535 }),
        Type.String({ pattern: '^\\d{1,5}$', description: 'As 4.3 sends it' }),
      ]),
    ),
    MTU: Type.Optional(Nullable(Type.Integer({ minimum: 576, maximum: 9000 }))),
    PostUp: Hook,
    PostDown: Hook,
    PreUp: Hook,
    PreDown: Hook,
    Table: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  },
  { additionalProperties: true },
);
export type UpdateConfigurationBody = Static<typeof UpdateConfigurationBody>;

/** WGDashboard 4.3's renameWireguardConfiguration body. */
export const RenameConfigurationBody = Type.Object({
  ConfigurationName: ConfigName,
  NewConfigurationName: Type.String({ minLength: 1, maxLength: 64 }),
});
export type RenameConfigurationBody = Static<typeof RenameConfigurationBody>;

/** `configurationName=`, as 4.3's configuration routes take it. */
export const ConfigurationNameQuery = Type.Object({ configurationName: ConfigName });

/** `getWireguardConfigurationRawFile`: the node's wg-quick file, its keys replaced by comments. */
export const RawFileJson = Type.Object({
  path: Type.String({ description: 'Where the node keeps the file' }),
  content: Type.String(),
});

/** WGDashboard 4.3's updateWireguardConfigurationRawFile body. */
export const UpdateRawFileBody = Type.Object({
  configurationName: ConfigName,
  rawConfiguration: Type.String({ minLength: 1, maxLength: 900_000 }),
});
export type UpdateRawFileBody = Static<typeof UpdateRawFileBody>;

/** `getWireguardConfigurationRealtimeTraffic`: MiB per second, as 4.3. */
export const RealtimeTrafficJson = Type.Object({
  sent: Type.Number({
    description: 'MiB/s the node sent to its peers, between the two latest polls',
  }),
  recv: Type.Number({ description: 'MiB/s the node received from its peers' }),
});
