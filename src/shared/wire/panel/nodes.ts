import { Type, type Static } from 'typebox';
import { NODE_STATUSES } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';

/** A node in API answers. Never its token. */
export const NodeJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String({ description: 'The agent’s base URL' }),
  host: Type.String({ description: 'Host of the agent URL' }),
  public_host: Nullable(Type.String({ description: 'Endpoint host for clients; null → host' })),
  status: literalUnion(NODE_STATUSES),
  last_seen: Nullable(Type.String({ description: 'Last successful poll, ISO 8601 UTC' })),
  last_error: Nullable(Type.String()),
  agent_version: Nullable(Type.String()),
  rtt_ms: Nullable(Type.Integer({ description: 'Round trip of the last health check' })),
  configurations: Type.Integer(),
  peers: Type.Integer(),
  drift: Type.Integer({ description: 'Peers on the node that the panel does not know' }),
  created_at: Type.String(),
});
export type NodeJson = Static<typeof NodeJson>;

const Adopted = Type.Object({
  ConfigurationName: Type.String(),
  interface: Type.String(),
  imported_peers: Type.Integer(),
});
export const AddedNodeJson = Type.Intersect([
  NodeJson,
  Type.Object({
    adopted: Type.Array(Adopted),
    skipped: Type.Array(Type.Object({ interface: Type.String(), reason: Type.String() })),
  }),
]);

const NodeName = Type.String({ minLength: 1, maxLength: 64 });
const Join = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'The join string printed by `wgfleet agent init`',
});
const PublicHost = Nullable(Type.String({ maxLength: 255 }));
export type AddedNodeJson = Static<typeof AddedNodeJson>;

export const AddNodeBody = Type.Object(
  { name: NodeName, join: Join, public_host: Type.Optional(PublicHost) },
  { additionalProperties: false },
);
export type AddNodeBody = Static<typeof AddNodeBody>;

export const UpdateNodeBody = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    name: Type.Optional(NodeName),
    public_host: Type.Optional(PublicHost),
    join: Type.Optional(Join),
  },
  { additionalProperties: false },
);
export type UpdateNodeBody = Static<typeof UpdateNodeBody>;

export const DeleteNodeBody = Type.Object(
  {
    id: Type.Optional(Type.Integer({ minimum: 1 })),
    name: Type.Optional(NodeName),
  },
  { additionalProperties: false },
);
export type DeleteNodeBody = Static<typeof DeleteNodeBody>;
