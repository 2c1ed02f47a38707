import { Type, type Static } from 'typebox';
import { ON_LIMIT_ACTIONS, RESET_SCHEDULES } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { MAX_BULK_ADD, MAX_PEERS_PER_REQUEST } from './common.js';

const Key = Type.String({ maxLength: 64 });
/** A speed limit as the API takes it; the value is checked by the parser (a message naming it). */
export const RateField = (what: string) =>
  Type.Unsafe<number | string | null>({
    type: ['integer', 'number', 'string', 'null'],
    maxLength: 32,
    description: `${what}: bits per second (an integer), or a speed with a decimal unit ("10Mbit", "500kbit"); null = not limited`,
  });
/** A byte quota as the API takes it (checked by the parser, a message naming it). */
export const BytesField = (what: string) =>
  Type.Unsafe<number | string | null>({
    type: ['integer', 'number', 'string', 'null'],
    maxLength: 32,
    description: `${what}: an integer up to 2^53 − 1, or a size with a unit ("10GiB", "500MB"); null = none`,
  });
/** Over a byte quota: cut off (`restrict`) or slow down to the throttle speeds (`throttle`). */
export const OnLimitField = Type.Unsafe<string>({
  type: 'string',
  maxLength: 16,
  description: `Over a byte quota: ${ON_LIMIT_ACTIONS.join(' | ')} (default restrict)`,
});
/** The throttle's fields: what happens over a quota, and the speeds while throttled. */
export const ThrottleFields = {
  on_limit: Type.Optional(OnLimitField),
  throttle_download_bps: Type.Optional(RateField('While throttled, what the node sends the peer')),
  throttle_upload_bps: Type.Optional(RateField('While throttled, what the peer sends the node')),
};
/** The granular quotas (bytes): per period one direction, and per calendar day. */
export const GranularQuotaFields = {
  download_limit: Type.Optional(BytesField('Bytes per period the node sends the peer (its tx)')),
  upload_limit: Type.Optional(BytesField('Bytes per period the peer sends the node (its rx)')),
  daily_limit: Type.Optional(
    BytesField("Bytes (rx + tx) per calendar day in the panel's time zone, restored at midnight"),
  ),
};
/** The seed's quota fields and the reset schedule, shared by addPeers and updatePeerSettings. */
// Nullable fields are declared with a type list, not anyOf: Ajv's type coercion would turn a
// null into 0 or "" in the first anyOf branch, and a 0 into null.
export const QuotaFields = {
  traffic_limit: Type.Optional(
    Type.Unsafe<number | string | null>({
      type: ['integer', 'number', 'string', 'null'],
      maxLength: 32,
      description:
        'Bytes (rx + tx) per period: an integer up to 2^53 − 1, or a size with a unit ("10GiB", "500MB"); null = none',
    }),
  ),
  expiry_date: Type.Optional(
    Type.Unsafe<string | null>({
      type: ['string', 'null'],
      maxLength: 64,
      description: 'ISO 8601; no offset means UTC; null = never',
    }),
  ),
  traffic_warn_threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  reset_schedule: Type.Optional(literalUnion(RESET_SCHEDULES)),
  reset_anchor: Type.Optional(
    Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 31,
      description: 'weekly: ISO weekday 1–7; monthly: day 1–31 (31 = last day); null = the first',
    }),
  ),
  download_bps: Type.Optional(RateField('What the node sends the peer')),
  upload_bps: Type.Optional(RateField('What the peer sends the node')),
  ...ThrottleFields,
  ...GranularQuotaFields,
};
/** A peer's subscriber (`null` in updatePeerSettings: none). */
const SubscriberId = {
  subscriber_id: Type.Optional(
    Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      description: 'The subscriber the peer belongs to (getSubscribers); null = none',
    }),
  ),
};
const Settings = {
  name: Type.Optional(Type.String({ maxLength: 255 })),
  DNS: Type.Optional(Type.String({ maxLength: 255 })),
  endpoint_allowed_ip: Type.Optional(Type.String({ maxLength: 512 })),
  mtu: Type.Optional(Type.Integer({ minimum: 0, maximum: 9200, description: '0 = default' })),
  keepalive: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: '0 = off' })),
  allowed_ips_validation: Type.Optional(
    Type.Boolean({ description: 'false: addresses may lie outside the interface subnet' }),
  ),
};

export const AddPeersBody = Type.Object(
  {
    ...Settings,
    ...QuotaFields,
    ...SubscriberId,
    public_key: Type.Optional(Key),
    private_key: Type.Optional(Key),
    preshared_key: Type.Optional(Key),
    allowed_ips: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
    preshared_key_bulkAdd: Type.Optional(Type.Boolean()),
    bulkAdd: Type.Optional(Type.Boolean()),
    bulkAddAmount: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BULK_ADD })),
    bulkAddStart: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000_000,
        description:
          'With bulkAdd: name the peers `<name> <bulkAddStart>`, `<name> <bulkAddStart + 1>`, … (no timestamp; they sort by number). Without it, WGDashboard’s `<name> #<n>_<timestamp>`.',
      }),
    ),
  },
  { additionalProperties: false },
);

// WGDashboard's UI posts the whole peer object back: fields not listed are ignored.
export const UpdatePeerBody = Type.Object({
  ...Settings,
  ...QuotaFields,
  ...SubscriberId,
  id: Type.String({ minLength: 1, maxLength: 64 }),
  private_key: Type.Optional(Key),
  preshared_key: Type.Optional(Key),
  allowed_ip: Type.Optional(Type.String({ maxLength: 512 })),
});
export type AddPeersBody = Static<typeof AddPeersBody>;
export type UpdatePeerBody = Static<typeof UpdatePeerBody>;

/** deletePeers, restrictPeers, allowAccessPeers: a list of public keys. */
export const PeersBody = Type.Object(
  {
    peers: Type.Array(Type.String({ maxLength: 64 }), {
      minItems: 1,
      maxItems: MAX_PEERS_PER_REQUEST,
      description: 'Public keys',
    }),
  },
  { additionalProperties: false },
);
export type PeersBody = Static<typeof PeersBody>;

/** A client config file, as downloadPeer answers it. */
export const ConfigFile = Type.Object({
  fileName: Type.String({ description: 'Without the .conf extension, as in WGDashboard' }),
  file: Type.String({ description: 'The wg-quick client config (holds the private key)' }),
});
export type ConfigFile = Static<typeof ConfigFile>;

/** A peer named by its public key in a query string. */
export const PeerIdQuery = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const QrCodeQuery = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  format: Type.Optional(literalUnion(['svg', 'png'], { default: 'svg' })),
});

/** How many free addresses getAvailableIPs lists per interface address without `limit`. */
export const AVAILABLE_IPS_LIMIT = 255;

export const AvailableIpsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, default: AVAILABLE_IPS_LIMIT })),
});
/** Free addresses by interface address. */
export const AvailableIps = Type.Record(Type.String(), Type.Array(Type.String()));
export type AvailableIps = Static<typeof AvailableIps>;
