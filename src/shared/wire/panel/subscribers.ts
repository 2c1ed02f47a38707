import { Type, type Static } from 'typebox';
import {
  NOTIFICATION_LANGUAGES,
  ON_LIMIT_ACTIONS,
  RESET_SCHEDULES,
  RESTRICTION_REASONS,
  SHOWN_SUBSCRIBER_STATUSES,
  SUBSCRIBER_SORT_KEYS,
} from '../../../panel/domain/vocabulary.js';
import type { NotificationLanguage } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';
import { PeerJson } from './peer-json.js';
import {
  AddPeersBody,
  GranularQuotaFields,
  QuotaFields,
  RateField,
  ThrottleFields,
} from './peers.js';

const Bytes = (description: string) => Type.Integer({ minimum: 0, description });
const NullableText = (maxLength: number, description: string) =>
  Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength, description }));

/** Most subscribers one bulk update may name, and most peers one request may create or assign. */
export const MAX_SUBSCRIBERS_PER_REQUEST = 1000;
export const MAX_SUBSCRIBER_PEERS = 64;

/**
 * Speed limits applied to each of its peers (a peer's speed = the slower of its own and these),
 * the throttle over its quotas, and the granular quotas over the sum of its peers (issue 15).
 */
function SubscriberSpeedFields() {
  return {
    download_bps: Type.Optional(RateField('What the nodes send each of its peers')),
    upload_bps: Type.Optional(RateField('What each of its peers sends the nodes')),
    ...ThrottleFields,
    download_limit: GranularQuotaFields.download_limit,
    upload_limit: GranularQuotaFields.upload_limit,
    daily_limit: GranularQuotaFields.daily_limit,
  };
}

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
  // The quota fields of peers, over the sum of its peers.
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
  ...SubscriberSpeedFields(),
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
    ...SubscriberSpeedFields(),
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
  status: Type.Optional(
    literalUnion([...SHOWN_SUBSCRIBER_STATUSES, 'all'], {
      default: 'all',
      description: '`throttled`: active ones at their throttle speed (`active`: the others)',
    }),
  ),
});
export type SubscribersQuery = Static<typeof SubscribersQuery>;

/** Bytes in both directions, as the subscriber sees them: upload = the node's rx. */
export const UsageJson = Type.Object({
  upload: Bytes('Bytes the subscriber sent (the nodes received: rx)'),
  download: Bytes('Bytes the subscriber received (the nodes sent: tx)'),
  total: Bytes('upload + download: what the limit is checked against'),
});
export type UsageJson = Static<typeof UsageJson>;

/** Its speed limits, throttle and granular quotas as the API shows them (issue 15). */
function SubscriberSpeedJson() {
  return {
    download_bps: Nullable(
      Type.Integer({
        description: 'Speed limit of each of its peers’ download, bit/s; null = none',
      }),
    ),
    upload_bps: Nullable(
      Type.Integer({ description: 'Speed limit of each of its peers’ upload, bit/s; null = none' }),
    ),
    on_limit: literalUnion(ON_LIMIT_ACTIONS, {
      description: 'Over a byte quota: restrict (its peers cut off) or throttle (slowed down)',
    }),
    throttle_download_bps: Nullable(Type.Integer({ description: 'bit/s while throttled' })),
    throttle_upload_bps: Nullable(Type.Integer({ description: 'bit/s while throttled' })),
    throttled_at: Nullable(Type.String({ description: 'Since when it is throttled; null = not' })),
    download_limit: Nullable(Bytes('Bytes per period the nodes send its peers (tx); null = none')),
    upload_limit: Nullable(Bytes('Bytes per period its peers send the nodes (rx); null = none')),
    daily_limit: Nullable(Bytes('Bytes (rx + tx) of its peers per calendar day; null = none')),
    day_usage: Bytes('Bytes (rx + tx) of its peers in the current day'),
  };
}

/** A subscriber in lists. Never its token. */
export const SubscriberJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Nullable(Type.String()),
  telegram_chat_id: Nullable(Type.String()),
  language: Nullable(literalUnion(NOTIFICATION_LANGUAGES)),
  note: Nullable(Type.String()),
  status: literalUnion(SHOWN_SUBSCRIBER_STATUSES, {
    description:
      'active, throttled (its peers on their nodes, slowed down over a quota: on_limit throttle), restricted (every peer cut off), on_hold',
  }),
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
  ...SubscriberSpeedJson(),
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
  /** `throttled`: active, slowed down to its throttle speed (its quota is used up). */
  status: literalUnion(SHOWN_SUBSCRIBER_STATUSES),
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
