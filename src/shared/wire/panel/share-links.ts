import { Type, type Static } from 'typebox';
import { ConfigName, Nullable } from './common.js';

/**
 * A peer's share link as WGDashboard 4.3 answers it (PeerShareLink.toJson): dates
 * `YYYY-MM-DD HH:MM:SS` (UTC), `ExpireDate` `2199-12-31 00:00:00` for a link that never expires.
 */
export const ShareLinkJson = Type.Object({
  ShareID: Type.String({ description: 'A uuid; it opens /share?ShareID=… without sign-in' }),
  Peer: Type.String({ description: 'The public key' }),
  Configuration: Type.String(),
  ExpireDate: Type.String(),
  SharedDate: Type.String(),
});
export type ShareLinkJson = Static<typeof ShareLinkJson>;

const ExpireDate = Type.Optional(
  Nullable(
    Type.String({
      maxLength: 40,
      description: '`YYYY-MM-DD HH:MM:SS` (UTC) or ISO 8601; null or absent = never',
    }),
  ),
);

/** 4.3's sharePeer/create body. */
export const CreateShareLinkBody = Type.Object(
  {
    Configuration: ConfigName,
    Peer: Type.String({ minLength: 1, maxLength: 64, description: 'The public key' }),
    ExpireDate,
  },
  { additionalProperties: true },
);
export type CreateShareLinkBody = Static<typeof CreateShareLinkBody>;

/** 4.3's sharePeer/update body (its UI sends the whole link; only these two are read). */
export const UpdateShareLinkBody = Type.Object(
  { ShareID: Type.String({ minLength: 1, maxLength: 64 }), ExpireDate },
  { additionalProperties: true },
);
export type UpdateShareLinkBody = Static<typeof UpdateShareLinkBody>;

/** `?ShareID=` of sharePeer/get and the /share page. */
export const ShareIdQuery = Type.Object({
  ShareID: Type.Optional(Type.String({ maxLength: 64 })),
  lang: Type.Optional(Type.String({ maxLength: 8 })),
});
export type ShareIdQuery = Static<typeof ShareIdQuery>;
