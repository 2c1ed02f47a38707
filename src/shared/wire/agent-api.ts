/**
 * Wire shapes of the agent API (`/v1/*`). One schema per shape: validation, TypeScript types,
 * response serialisation and the OpenAPI document all come from here; the panel's agent client
 * reads the same types.
 */
import { Type, type Static } from 'typebox';
import { WG_KEY_PATTERN } from '../keys.js';
import { INTERFACE_NAME_PATTERN } from '../wg-names.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const WgKey = Type.String({
  pattern: WG_KEY_PATTERN,
  description: '32-byte key, standard base64',
});
export const InterfaceName = Type.String({
  pattern: INTERFACE_NAME_PATTERN,
  description: 'WireGuard interface name',
});

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Machine-readable error code' }),
    message: Type.String({ description: 'What was wrong, naming the field where one is at fault' }),
  },
  { $id: 'AgentError' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
});
export type Health = Static<typeof Health>;

export const InterfaceSummary = Type.Object({
  name: Type.String(),
  public_key: Nullable(Type.String()),
  listen_port: Nullable(Type.Integer()),
  addresses: Type.Array(Type.String(), { description: 'CIDR addresses set on the interface' }),
  mtu: Nullable(Type.Integer()),
  peer_count: Type.Integer(),
  up: Type.Boolean(),
});
export type InterfaceSummary = Static<typeof InterfaceSummary>;

export const InterfaceList = Type.Object({ interfaces: Type.Array(InterfaceSummary) });
export type InterfaceList = Static<typeof InterfaceList>;

export const DumpInterface = Type.Object({
  name: Type.String(),
  public_key: Nullable(Type.String()),
  listen_port: Nullable(Type.Integer()),
  fwmark: Nullable(Type.Integer()),
  instance: Type.Optional(
    Nullable(
      Type.String({
        description:
          'Identifies this incarnation of the interface (its ifindex): it changes when the interface is re-created, and with it every raw counter restarts from zero. Absent from agents that do not know it.',
      }),
    ),
  ),
});

export const DumpPeer = Type.Object({
  public_key: Type.String(),
  endpoint: Nullable(Type.String()),
  allowed_ips: Type.Array(Type.String()),
  latest_handshake: Nullable(Type.Integer({ description: 'Unix seconds; null if never' })),
  transfer_rx: Type.Integer({
    description: 'Bytes received from the peer (raw WireGuard counter)',
  }),
  transfer_tx: Type.Integer({ description: 'Bytes sent to the peer (raw WireGuard counter)' }),
  persistent_keepalive: Nullable(Type.Integer({ description: 'Seconds; null when off' })),
});
export type DumpPeer = Static<typeof DumpPeer>;

export const Dump = Type.Object({
  interface: DumpInterface,
  peers: Type.Array(DumpPeer),
});
export type Dump = Static<typeof Dump>;

export const PeerPut = Type.Object(
  {
    allowed_ips: Type.Array(Type.String({ minLength: 1, maxLength: 49 }), { maxItems: 256 }),
    preshared_key: Type.Optional(Nullable(WgKey)),
    persistent_keepalive: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 65535 }))),
    endpoint: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 300 }))),
  },
  { additionalProperties: false },
);
export type PeerPut = Static<typeof PeerPut>;

export const PeerPath = Type.Object({ interface: Type.String(), public_key: Type.String() });
export const InterfacePath = Type.Object({ interface: Type.String() });

export const InterfaceCreate = Type.Object(
  {
    name: InterfaceName,
    address: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1, maxItems: 16 })]),
    listen_port: Type.Integer({ minimum: 1, maximum: 65535 }),
    mtu: Type.Optional(Type.Integer({ minimum: 576, maximum: 9000 })),
    post_up: Type.Optional(Type.String({ maxLength: 1000 })),
    post_down: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type InterfaceCreate = Static<typeof InterfaceCreate>;

export const Ok = Type.Object({ ok: Type.Literal(true) });
