import { Type, type Static } from 'typebox';
import { PEER_SORT_KEYS, PEER_STATUSES } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { ConfigName, Nullable } from './common.js';
import { PeerJson } from './peer-json.js';

const Usage = Type.Object({ Receive: Type.Number(), Sent: Type.Number(), Total: Type.Number() });
const UsageBytes = Type.Object({
  Receive: Type.Integer(),
  Sent: Type.Integer(),
  Total: Type.Integer(),
});

/** WGDashboard's `configurationInfo`, without the interface's private key (never stored). */
export const ConfigurationInfo = Type.Object({
  Name: Type.String(),
  Interface: Type.String(),
  Address: Type.String(),
  ListenPort: Type.String({ description: 'A string, as in WGDashboard' }),
  PublicKey: Type.String(),
  Status: Type.Boolean({ description: 'The interface is enabled' }),
  ConnectedPeers: Type.Integer({ description: 'Handshake in the last 180 s' }),
  TotalPeers: Type.Integer(),
  RestrictedPeers: Type.Integer(),
  DataUsage: Type.Object(Usage.properties, { description: 'Period usage in GiB (WGDashboard)' }),
  DataUsageBytes: UsageBytes,
  Node: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    status: Type.String(),
    endpoint: Type.String({ description: 'host:port clients connect to' }),
  }),
});

export const Paging = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  search: Nullable(Type.String()),
  sort: Type.String(),
  order: Type.String(),
  status: Type.String(),
  totalPeers: Type.Integer({ description: 'Active peers in the configuration' }),
  totalRestrictedPeers: Type.Integer(),
  matchedPeers: Type.Integer({ description: 'Active peers matching the search' }),
  matchedRestrictedPeers: Type.Integer(),
  totalPages: Type.Integer({ description: 'Pages of the matching peers of the status asked for' }),
  peerOrder: Type.Array(Type.String(), {
    description:
      "Public keys of this page's peers in the sort order (both lists keep it; a page mixes them)",
  }),
});

/**
 * Without `pageSize` the answer holds every peer, as WGDashboard's does, so scripts written for it
 * keep working; the UI and large fleets page. This caps "every" far above any real interface.
 */
export const ALL_PEERS = 1_000_000;

/** What getWireguardConfigurationInfo assumes for a parameter left out. */
export const INFO_QUERY_DEFAULTS = {
  page: 1,
  sort: 'name',
  order: 'asc',
  status: 'all',
} as const satisfies Record<string, string | number>;

export const InfoQuery = Type.Object({
  configurationName: ConfigName,
  page: Type.Optional(Type.Integer({ minimum: 1, default: INFO_QUERY_DEFAULTS.page })),
  pageSize: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: ALL_PEERS,
      description: 'Peers per list; without it every peer is returned, as WGDashboard does',
    }),
  ),
  search: Type.Optional(Type.String({ maxLength: 255 })),
  sort: Type.Optional(literalUnion(PEER_SORT_KEYS, { default: INFO_QUERY_DEFAULTS.sort })),
  order: Type.Optional(literalUnion(['asc', 'desc'], { default: INFO_QUERY_DEFAULTS.order })),
  status: Type.Optional(
    literalUnion(['all', ...PEER_STATUSES], { default: INFO_QUERY_DEFAULTS.status }),
  ),
  subscriber: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: "Only this subscriber's peers (its id); an unknown id matches none",
    }),
  ),
});
export type InfoQuery = Static<typeof InfoQuery>;

/** getWireguardConfigurationInfo's `data`. */
export const ConfigurationInfoJson = Type.Object({
  configurationInfo: ConfigurationInfo,
  configurationPeers: Type.Array(PeerJson),
  configurationRestrictedPeers: Type.Array(PeerJson),
  paging: Paging,
});
export type ConfigurationInfoJson = Static<typeof ConfigurationInfoJson>;
