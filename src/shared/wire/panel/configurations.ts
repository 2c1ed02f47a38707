import { Type, type Static } from 'typebox';
import { INTERFACE_STATUSES, NODE_STATUSES } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { ConfigName, Nullable } from './common.js';

/**
 * A configuration in API answers: WGDashboard 4.3's fields (`Name`, `Status`, `PublicKey`,
 * `Address`, `ListenPort`, `DataUsage`, `ConnectedPeers`, `TotalPeers`, …) without the private
 * key, which never leaves the node; then the panel's own (node, peer counts, exact usage, drift).
 */
export const ConfigurationJson = Type.Object({
  id: Type.Integer(),
  Name: Type.String(),
  Status: Type.Boolean({ description: 'Desired state: the interface is to be up' }),
  PublicKey: Type.String(),
  Address: Type.String(),
  ListenPort: Type.String({ description: 'A string, as in WGDashboard' }),
  PreUp: Type.String(),
  PreDown: Type.String(),
  PostUp: Type.String(),
  PostDown: Type.String(),
  SaveConfig: Type.Boolean(),
  Protocol: Type.String(),
  Table: Type.String(),
  DataUsage: Type.Object(
    { Total: Type.Number(), Sent: Type.Number(), Receive: Type.Number() },
    { description: 'Lifetime usage in GiB (rx = Receive, tx = Sent, from the node)' },
  ),
  ConnectedPeers: Type.Integer({ description: 'Peers with a handshake in the last 3 minutes' }),
  TotalPeers: Type.Integer(),
  ActivePeers: Type.Integer(),
  RestrictedPeers: Type.Integer(),
  Usage: Type.Object(
    {
      period_rx: Type.Integer(),
      period_tx: Type.Integer(),
      lifetime_rx: Type.Integer(),
      lifetime_tx: Type.Integer(),
    },
    { description: 'Sums over the peers, in bytes' },
  ),
  Interface: Type.String({ description: 'The interface name on the node' }),
  Node: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    status: literalUnion(NODE_STATUSES),
  }),
  Endpoint: Type.String({ description: 'host:port clients dial' }),
  DNS: Nullable(Type.String()),
  MTU: Nullable(Type.Integer()),
  EndpointAllowedIp: Nullable(Type.String()),
  Keepalive: Nullable(Type.Integer()),
  Drift: Type.Object({
    count: Type.Integer(),
    peers: Type.Array(
      Type.Object({
        public_key: Type.String(),
        allowed_ips: Type.Array(Type.String()),
        endpoint: Nullable(Type.String()),
        latest_handshake: Nullable(Type.Integer()),
      }),
      { description: 'Peers on the interface that the panel does not know (left in place)' },
    ),
  }),
  SyncError: Nullable(Type.String({ description: 'Why the last poll of it failed, if it did' })),
  InterfaceStatus: literalUnion(INTERFACE_STATUSES, {
    description:
      'The interface on the node: down = the configuration is turned off; missing = the last poll found no such interface (deleted outside the panel); else up',
  }),
  QuotasEnforceable: Type.Boolean({
    description:
      'False while the interface is missing: usage is not observed and no peer can be cut or restored until it is back',
  }),
  CreatedAt: Type.String(),
});
export type ConfigurationJson = Static<typeof ConfigurationJson>;

const Hook = Type.Optional(Nullable(Type.String({ maxLength: 1000 })));
const Ignored = Type.Optional(Nullable(Type.String({ maxLength: 200 })));

/** WGDashboard 4.3's addWireguardConfiguration body (the node makes the key pair). */
export const AddConfigurationBody = Type.Object({
  ConfigurationName: Type.String({ minLength: 1, maxLength: 15 }),
  Address: Type.Union([
    Type.String({ minLength: 1, maxLength: 512 }),
    Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 16 }),
  ]),
  ListenPort: Type.Integer({ minimum: 1, maximum: 65535 }),
  node: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 64 })], {
      description: 'Node id or name; may be left out when the panel has one node',
    }),
  ),
  MTU: Type.Optional(Type.Union([Type.Integer({ minimum: 576, maximum: 9000 }), Type.Null()])),
  DNS: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  EndpointAllowedIp: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
  Keepalive: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()])),
  PostUp: Hook,
  PostDown: Hook,
  PreUp: Hook,
  PreDown: Hook,
  // WGDashboard's client sends keys it made; here the node makes the key instead.
  PrivateKey: Ignored,
  PublicKey: Ignored,
  PresharedKey: Ignored,
  Protocol: Ignored,
  Table: Ignored,
});
export type AddConfigurationBody = Static<typeof AddConfigurationBody>;

export const ToggleConfigurationQuery = Type.Object({
  configurationName: Type.String({ maxLength: 64 }),
});

/**
 * WGDashboard 4.3's updateWireguardConfiguration body (`Name` + the fields to change). The panel
 * changes what it owns: the defaults new peers get (client DNS, client AllowedIPs, keepalive).
 * `ListenPort` and `Address` are taken only unchanged (a WGDashboard client posts the whole
 * configuration back): changing them on a live interface needs the agent, which does not offer it.
 * Other fields of the posted object are ignored.
 */
export const UpdateConfigurationBody = Type.Object({
  Name: ConfigName,
  DNS: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  EndpointAllowedIp: Type.Optional(Nullable(Type.String({ maxLength: 512 }))),
  Keepalive: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 65535 }))),
  ListenPort: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 8 })])),
  Address: Type.Optional(Type.String({ maxLength: 512 })),
});
export type UpdateConfigurationBody = Static<typeof UpdateConfigurationBody>;

export const DeleteConfigurationBody = Type.Object({ ConfigurationName: ConfigName });
export type DeleteConfigurationBody = Static<typeof DeleteConfigurationBody>;
