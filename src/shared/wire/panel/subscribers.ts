import { Type, type Static } from 'typebox';
import {
  NOTIFICATION_LANGUAGES,
  RESET_SCHEDULES,
  RESTRICTION_REASONS,
  SUBSCRIBER_SORT_KEYS,
  SUBSCRIBER_STATUSES,
} from '../../../panel/domain/vocabulary.js';
import type { NotificationLanguage } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';
import { PeerJson } from './peer-json.js';
import { AddPeersBody, QuotaFields } from './peers.js';

const Bytes = (description: string) => Type.Integer({ minimum: 0, description });
const NullableText = (maxLength: number, description: string) =>
  Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength, description }));

/** Most subscribers one bulk update may name, and most peers one request may create or assign. */
export const MAX_SUBSCRIBERS_PER_REQUEST = 1000;
export const MAX_SUBSCRIBER_PEERS = 64;

/** The fields a subscriber is made of (all but `name` optional), as addSubscriber takes them. */
const SubscriberFields = {
  email: NullableText(255, 'Contact e-mail; null or "" = none'),
  telegram_chat_id: NullableText(64, 'Telegram chat id; null or "" = none'),
  language: Type.Optional(
    Type.Unsafe<NotificationLanguage | null>({
      type: ['string', 'null'],
      maxLength: 16,
      description: `Its messages' language (${NOTIFICATION_LANGUAGES.join(', ')}); null or "" = the panel's notification language`,
    }),
  ),
  note: NullableText(2000, 'Free text for operators'),
  // The quota fields of peers; speed limits stay per peer.
  traffic_limit: QuotaFields.traffic_limit,
  expiry_date: QuotaFields.expiry_date,
  traffic_warn_threshold: QuotaFields.traffic_warn_threshold,
  reset_schedule: QuotaFields.reset_schedule,
  reset_anchor: QuotaFields.reset_anchor,
  on_hold_days: Type.Optional(
    Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 3650,
      description:
        'On hold until the first handshake of any of its peers; then expiry_date = that handshake + this many days. null = off',
    }),
  ),
};

/** One peer to create with the subscriber: addPeers' fields plus the configuration's name. */
export const SubscriberNewPeer = Type.Object(
  {
    ...AddPeersBody.properties,
    configuration: Type.String({ minLength: 1, maxLength: 64, description: 'Its name' }),
  },
  { additionalProperties: false },
);

export const AddSubscriberBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    ...SubscriberFields,
    peers: Type.Optional(
      Type.Array(SubscriberNewPeer, {
        maxItems: MAX_SUBSCRIBER_PEERS,
        description: 'Peers to create, e.g. one on each of several configurations (nodes)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AddSubscriberBody = Static<typeof AddSubscriberBody>;

const Id = Type.Integer({ minimum: 1 });

export const UpdateSubscriberBody = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    ...SubscriberFields,
  },
  { additionalProperties: false },
);
export type UpdateSubscriberBody = Static<typeof UpdateSubscriberBody>;

export const UpdateSubscribersBody = Type.Object(
  {
    ids: Type.Array(Id, { minItems: 1, maxItems: MAX_SUBSCRIBERS_PER_REQUEST }),
    traffic_limit: QuotaFields.traffic_limit,
    expiry_date: QuotaFields.expiry_date,
    extend_days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3650,
        description:
          'Moves each expiry date this many days later (from now when it has passed); no date stays none',
      }),
    ),
  },
  { additionalProperties: false },
);
export type UpdateSubscribersBody = Static<typeof UpdateSubscribersBody>;

export const DeleteSubscriberBody = Type.Object(
  {
    id: Id,
    delete_peers: Type.Boolean({
      description:
        'true: its peers are deleted too (off every node); false: they are kept, unowned',
    }),
  },
  { additionalProperties: false },
);

export const SubscriberPeersBody = Type.Object(
  {
    id: Id,
    peers: Type.Array(
      Type.Object(
        {
          configuration: Type.String({ minLength: 1, maxLength: 64 }),
          id: Type.String({ minLength: 1, maxLength: 64, description: 'The public key' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type SubscriberPeersBody = Static<typeof SubscriberPeersBody>;

export const SubscriberIdBody = Type.Object({ id: Id }, { additionalProperties: false });
export const SubscriberIdQuery = Type.Object({ id: Id });

export const SubscribersQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  search: Type.Optional(
    Type.String({ maxLength: 255, description: 'In name, e-mail, Telegram id or note' }),
  ),
  sort: Type.Optional(literalUnion(SUBSCRIBER_SORT_KEYS, { default: 'name' })),
  order: Type.Optional(literalUnion(['asc', 'desc'], { default: 'asc' })),
  status: Type.Optional(literalUnion([...SUBSCRIBER_STATUSES, 'all'], { default: 'all' })),
});
export type SubscribersQuery = Static<typeof SubscribersQuery>;

/** Bytes in both directions, as the subscriber sees them: upload = the node's rx. */
export const UsageJson = Type.Object({
  upload: Bytes('Bytes the subscriber sent (the nodes received: rx)'),
  download: Bytes('Bytes the subscriber received (the nodes sent: tx)'),
  total: Bytes('upload + download: what the limit is checked against'),
});
export type UsageJson = Static<typeof UsageJson>;

/** A subscriber in lists. Never its token. */
export const SubscriberJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Nullable(Type.String()),
  telegram_chat_id: Nullable(Type.String()),
  language: Nullable(literalUnion(NOTIFICATION_LANGUAGES)),
  note: Nullable(Type.String()),
  status: literalUnion(SUBSCRIBER_STATUSES),
  restriction_reason: Nullable(literalUnion(RESTRICTION_REASONS)),
  restricted_at: Nullable(Type.String()),
  traffic_limit: Nullable(Bytes('Quota of the period over all its peers; null = none')),
  expiry_date: Nullable(Type.String({ description: 'ISO 8601 UTC; null = never (or on hold)' })),
  traffic_warn_threshold: Type.Integer({ minimum: 1, maximum: 100 }),
  reset_schedule: literalUnion(RESET_SCHEDULES),
  reset_anchor: Nullable(Type.Integer()),
  on_hold_days: Nullable(Type.Integer()),
  activated_at: Nullable(Type.String()),
  period_started_at: Type.String(),
  next_reset_at: Nullable(Type.String()),
  usage: UsageJson,
  usage_percentage: Nullable(Type.Number({ description: 'Of the limit, one decimal' })),
  days_until_expiry: Nullable(Type.Integer()),
  peer_count: Type.Integer(),
  created_at: Type.String(),
});
export type SubscriberJson = Static<typeof SubscriberJson>;

export const SubscriberListJson = Type.Object({
  subscribers: Type.Array(SubscriberJson),
  total: Type.Integer({ description: 'Subscribers matching search and status' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type SubscriberListJson = Static<typeof SubscriberListJson>;

/** One of its peers: the peer JSON, with where it lives and its usage in the subscriber's period. */
export const SubscriberPeerJson = Type.Object({
  ...PeerJson.properties,
  configuration: Type.String(),
  node: Type.String(),
  subscriber_usage: UsageJson,
});
export type SubscriberPeerJson = Static<typeof SubscriberPeerJson>;

export const SubscriberEventJson = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  message: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String(),
});
export type SubscriberEventJson = Static<typeof SubscriberEventJson>;

/** One subscriber in full: its token and page, usage per configuration, peers, recent events. */
export const SubscriberDetailJson = Type.Object({
  ...SubscriberJson.properties,
  token: Type.String({ description: 'SECRET: the key of its page' }),
  url: Type.String({ description: 'Its page: /sub/{token}' }),
  usage_by_configuration: Type.Array(
    Type.Object({
      configuration: Type.String(),
      node: Type.String(),
      ...UsageJson.properties,
    }),
  ),
  peers: Type.Array(SubscriberPeerJson),
  events: Type.Array(SubscriberEventJson),
});
export type SubscriberDetailJson = Static<typeof SubscriberDetailJson>;

/** The subscriber's own page as JSON (`Accept: application/json`). */
export const SubscriberPageJson = Type.Object({
  name: Type.String(),
  status: literalUnion(SUBSCRIBER_STATUSES),
  restriction_reason: Nullable(literalUnion(RESTRICTION_REASONS)),
  usage: UsageJson,
  traffic_limit: Nullable(Type.Integer()),
  expiry_date: Nullable(Type.String()),
  period_started_at: Type.String(),
  next_reset_at: Nullable(Type.String()),
  peers: Type.Array(
    Type.Object({
      configuration: Type.String(),
      node: Type.String(),
      usage: UsageJson,
      config_url: Type.String(),
      qr_url: Type.String(),
    }),
  ),
});
export type SubscriberPageJson = Static<typeof SubscriberPageJson>;
