/**
 * Wire shapes of the agent API (`/v1/*`). One schema per shape: validation, TypeScript types,
 * response serialisation and the OpenAPI document all come from here; the panel's agent client
 * reads the same types.
 */
import { Type, type Static } from 'typebox';
import { WG_KEY_PATTERN } from '../keys.js';
import { RATE_BPS } from '../rates.js';
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
  epoch: Type.Optional(
    Type.String({
      description:
        "Identifies the agent's ledger of this interface: `total_rx`/`total_tx` only ever grow within one epoch. A new epoch (the totals file was lost, or the interface was deleted and made again) means the totals restarted; compare totals only within one epoch. Absent from agents without a ledger.",
    }),
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
  total_rx: Type.Optional(
    Type.Integer({
      description:
        "Bytes received from the peer in the interface's epoch, as of the agent's latest reading (at most one read interval old): never goes down, across interface restarts by anyone, peer removal and re-adding, and agent restarts. Absent from agents without a ledger.",
    }),
  ),
  total_tx: Type.Optional(
    Type.Integer({
      description: 'Bytes sent to the peer in the epoch, like `total_rx`',
    }),
  ),
});
export type DumpPeer = Static<typeof DumpPeer>;

/** Why the agent cut a peer on its own (the panel's restriction reasons of the same name). */
export const AGENT_CUT_REASONS = ['traffic_limit', 'expired'] as const;
export type AgentCutReason = (typeof AGENT_CUT_REASONS)[number];
const CutReason = Type.Union([Type.Literal('traffic_limit'), Type.Literal('expired')]);
// The union spells the list out (TypeBox types it precisely that way); this fails to compile if
// the two drift apart.
type SchemaReason = Static<typeof CutReason>;
const _sameReasons: [AgentCutReason] extends [SchemaReason]
  ? [SchemaReason] extends [AgentCutReason]
    ? true
    : never
  : never = true;
void _sameReasons;

export const Enforcement = Type.Object(
  {
    id: Type.String({ description: 'Unique id of the record, for acknowledging it' }),
    public_key: Type.String(),
    at: Type.String({
      format: 'date-time',
      description: "When the agent cut the peer (node's clock, UTC)",
    }),
    reason: CutReason,
    total_rx: Type.Integer({ description: "The peer's total_rx read just before it was removed" }),
    total_tx: Type.Integer({ description: "The peer's total_tx read just before it was removed" }),
    epoch: Type.String({ description: 'The epoch of those totals' }),
    used_bytes: Type.Integer({
      description: 'Bytes (rx + tx) the peer used since the allowance was counted from',
    }),
    remaining_bytes: Nullable(Type.Integer({ description: 'The allowance it crossed, if any' })),
    expires_at: Nullable(Type.String({ description: 'The expiry date of the allowance, if any' })),
  },
  {
    $id: 'AgentEnforcement',
    description:
      'A peer the agent removed on its own while the panel was away. Kept (across restarts) until the panel acknowledges it.',
  },
);
export type Enforcement = Static<typeof Enforcement>;

export const Dump = Type.Object({
  interface: DumpInterface,
  peers: Type.Array(DumpPeer),
  enforcements: Type.Optional(
    Type.Array(Enforcement, {
      description:
        'Peers of this interface the agent cut on its own, not yet acknowledged (as GET /v1/wg/{interface}/enforcements). Absent from agents without a ledger.',
    }),
  ),
});
export type Dump = Static<typeof Dump>;

const RateBps = (direction: string) =>
  Nullable(
    Type.Integer({
      minimum: RATE_BPS.min,
      maximum: RATE_BPS.max,
      description: `${direction}, in bits per second; null: not limited`,
    }),
  );

/** A peer's speed limits, from the peer's point of view (download = what the node sends it). */
export const RateLimit = Type.Object(
  {
    download_bps: RateBps('What the node sends the peer (shaped on the interface egress)'),
    upload_bps: RateBps(
      'What the peer sends the node (shaped on the IFB its ingress is redirected to)',
    ),
  },
  { additionalProperties: false, $id: 'RateLimit' },
);
export type RateLimit = Static<typeof RateLimit>;

export const PeerPut = Type.Object(
  {
    allowed_ips: Type.Array(Type.String({ minLength: 1, maxLength: 49 }), { maxItems: 256 }),
    preshared_key: Type.Optional(Nullable(WgKey)),
    persistent_keepalive: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 65535 }))),
    endpoint: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 300 }))),
    rate_limit: Type.Optional(
      Type.Union([RateLimit, Type.Null()], {
        description:
          'Speed limits enforced by the kernel (HTB classes matched on the allowed IPs); absent or null: none',
      }),
    ),
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

export const AllowancePeer = Type.Object(
  {
    public_key: WgKey,
    remaining_bytes: Nullable(
      Type.Integer({
        minimum: 0,
        description:
          'Bytes (rx + tx) the peer may still use in its period, counted from `base_total`; null: no traffic limit',
      }),
    ),
    base_total: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          "The peer's total_rx + total_tx (in `epoch`) the panel counted its usage up to; absent, or another epoch: the peer's totals when the allowance arrives",
      }),
    ),
    expires_at: Nullable(
      Type.String({
        minLength: 10,
        maxLength: 40,
        description:
          'ISO 8601 date-time (UTC when without offset) from which the peer is expired; null: none',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AllowancePeer = Static<typeof AllowancePeer>;

export const AllowancesPut = Type.Object(
  {
    grace_seconds: Type.Integer({
      minimum: 1,
      maximum: 604_800,
      description:
        'How long the panel may stay silent (no authenticated call but metrics) before the agent enforces these allowances itself; the panel gives 3 poll intervals',
    }),
    epoch: Type.Optional(
      Type.String({ maxLength: 64, description: 'Epoch of every `base_total`' }),
    ),
    peers: Type.Array(AllowancePeer, { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
export type AllowancesPut = Static<typeof AllowancesPut>;

export const EnforcementList = Type.Object({ enforcements: Type.Array(Enforcement) });
export type EnforcementList = Static<typeof EnforcementList>;

export const EnforcementAck = Type.Object(
  { ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100_000 }) },
  { additionalProperties: false },
);
export type EnforcementAck = Static<typeof EnforcementAck>;
