/** Wire shapes of an interface's wg-quick file and its settings (agent `/v1/wg/{if}/conf`). */
import { Type, type Static } from 'typebox';

const Hook = Type.Union([Type.String({ maxLength: 1000 }), Type.Null()], {
  description: 'null or "" removes it; a command needs the agent started with --allow-hooks',
});

/** `PATCH /v1/wg/{if}`: settings of the `[Interface]` part; a field left out stays as it is. */
export const InterfacePatch = Type.Object(
  {
    address: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 16 })),
    listen_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    mtu: Type.Optional(Type.Union([Type.Integer({ minimum: 576, maximum: 9000 }), Type.Null()])),
    post_up: Type.Optional(Hook),
    post_down: Type.Optional(Hook),
  },
  { additionalProperties: false },
);
export type InterfacePatch = Static<typeof InterfacePatch>;

/**
 * `GET /v1/wg/{if}/conf`: the interface's wg-quick file as the node keeps it, but its
 * `PrivateKey` and every `PresharedKey` line replaced by a comment saying they stay on the node.
 */
export const ConfFileJson = Type.Object({
  path: Type.String({ description: 'Where the node keeps the file' }),
  content: Type.String(),
});
export type ConfFileJson = Static<typeof ConfFileJson>;

/** The comment that stands for the interface's private key in a file the node hands out. */
export const PRIVATE_KEY_PLACEHOLDER = '# PrivateKey = <kept on the node: it never leaves it>';
/** The comment that stands for a peer's preshared key in a file the node hands out. */
export const PRESHARED_KEY_PLACEHOLDER = '# PresharedKey = <kept on the node: it never leaves it>';
