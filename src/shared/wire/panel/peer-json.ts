import { Type, type Static } from 'typebox';
import {
  ON_LIMIT_ACTIONS,
  RESET_SCHEDULES,
  RESTRICTION_REASONS,
  SHOWN_PEER_STATUSES,
} from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';
import { PeerJobJson } from './peer-jobs.js';
import { ShareLinkJson } from './share-links.js';

const Bytes = (description: string) => Type.Integer({ minimum: 0, description });

/**
 * THE wire shape of a peer, shared by every endpoint that answers with peers. WGDashboard 4.3's
 * field names where it has them (`id`, `name`, `allowed_ip`, `DNS`, `mtu`, `keepalive`,
 * `endpoint_allowed_ip`, `endpoint`, `latest_handshake`, `total_*` / `cumu_*` in GiB), plus the
 * seed's quota fields and what its helpers compute. Byte counts are integers (exact up to
 * 2^53 − 1). Never a private or preshared key: only whether the panel holds one.
 *
 * Differences from WGDashboard: `status` is `active | restricted` (WGDashboard: running/stopped);
 * `latest_handshake` is an ISO time or null (WGDashboard: "No Handshake" or an age);
 * `endpoint` is null when unknown (WGDashboard: "(none)"); no embedded `configuration` object.
 */
export const PeerJson = Type.Object({
  id: Type.String({ description: 'The public key' }),
  name: Type.String(),
  allowed_ip: Type.String({ description: 'Addresses on the interface, comma-separated' }),
  status: literalUnion(SHOWN_PEER_STATUSES, {
    description:
      'active (on its node), throttled (on its node, slowed down over a quota: on_limit throttle), restricted (cut off)',
  }),
  restriction_reason: Nullable(literalUnion(RESTRICTION_REASONS)),
  restricted_at: Nullable(Type.String()),
  has_private_key: Type.Boolean({
    description: 'The panel holds the private key (client config download possible)',
  }),
  has_preshared_key: Type.Boolean(),
  DNS: Nullable(Type.String()),
  mtu: Nullable(Type.Integer()),
  keepalive: Nullable(Type.Integer()),
  endpoint_allowed_ip: Nullable(Type.String()),
  endpoint: Nullable(Type.String({ description: 'Last seen host:port of the peer' })),
  latest_handshake: Nullable(Type.String({ description: 'ISO 8601 UTC; null = never' })),

  traffic_limit: Nullable(Bytes('Quota of the period, rx + tx; null = none')),
  expiry_date: Nullable(Type.String({ description: 'ISO 8601 UTC; null = never' })),
  traffic_warn_threshold: Type.Integer({ minimum: 1, maximum: 100 }),
  reset_schedule: literalUnion(RESET_SCHEDULES),
  reset_anchor: Nullable(Type.Integer()),
  period_started_at: Type.String(),
  download_bps: Nullable(
    Type.Integer({
      description: 'Speed limit of what the node sends the peer, bit/s; null = none',
    }),
  ),
  upload_bps: Nullable(
    Type.Integer({
      description: 'Speed limit of what the peer sends the node, bit/s; null = none',
    }),
  ),
  on_limit: literalUnion(ON_LIMIT_ACTIONS, {
    description:
      'Over a byte quota: restrict (cut off) or throttle (slowed to the throttle speeds)',
  }),
  throttle_download_bps: Nullable(Type.Integer({ description: 'bit/s while throttled' })),
  throttle_upload_bps: Nullable(Type.Integer({ description: 'bit/s while throttled' })),
  throttled_at: Nullable(Type.String({ description: 'Since when it is throttled; null = not' })),
  download_limit: Nullable(Bytes('Bytes per period the node sends the peer (its tx); null = none')),
  upload_limit: Nullable(Bytes('Bytes per period the peer sends the node (its rx); null = none')),
  daily_limit: Nullable(Bytes("Bytes (rx + tx) per calendar day (panel's time zone); null = none")),
  day_usage: Bytes('Bytes (rx + tx) of the current day'),

  period_rx: Bytes('Bytes received by the node from the peer in the current period'),
  period_tx: Bytes('Bytes sent by the node to the peer in the current period'),
  usage_total: Bytes('period_rx + period_tx: what the quota is checked against'),
  lifetime_rx: Bytes('Bytes received since the peer was created'),
  lifetime_tx: Bytes('Bytes sent since the peer was created'),
  lifetime_total: Bytes('lifetime_rx + lifetime_tx'),
  usage_percentage: Nullable(Type.Number({ description: 'Of the limit, one decimal' })),
  traffic_limit_exceeded: Type.Boolean(),
  traffic_limit_warning: Type.Boolean({ description: 'Usage at or above the threshold' }),
  expired: Type.Boolean(),
  days_until_expiry: Nullable(Type.Integer({ description: 'Whole days, rounded up; 0 once due' })),

  total_receive: Type.Number({ description: 'WGDashboard: period_rx in GiB' }),
  total_sent: Type.Number({ description: 'WGDashboard: period_tx in GiB' }),
  total_data: Type.Number({ description: 'WGDashboard: usage_total in GiB' }),
  cumu_receive: Type.Number({ description: 'WGDashboard: lifetime_rx in GiB' }),
  cumu_sent: Type.Number({ description: 'WGDashboard: lifetime_tx in GiB' }),
  cumu_data: Type.Number({ description: 'WGDashboard: lifetime_total in GiB' }),
  subscriber_id: Nullable(Type.Integer({ description: 'Its subscriber; null = none' })),
  restricted_by_subscriber: Type.Boolean({
    description: 'Restricted because its subscriber is (restriction_reason is the subscriber’s)',
  }),
  created_at: Type.String(),
  jobs: Type.Array(PeerJobJson, {
    description:
      'WGDashboard 4.3 peer jobs: the traffic limit as `total_data lgt <GiB> → restrict`, the expiry date as `date lgt <date> → restrict`',
  }),
  ShareLink: Type.Array(ShareLinkJson, {
    description:
      'WGDashboard 4.3 share links of the peer that are still active (sharePeer/create); empty in answers other than getWireguardConfigurationInfo',
  }),
});
export type PeerJson = Static<typeof PeerJson>;
