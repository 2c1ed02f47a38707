import { Type, type Static } from 'typebox';
import { INTERVAL_LIMITS } from '../../../panel/app/usage/interval-limits.js';
import { Nullable } from './common.js';

/** A stored peer event. `type` is one of PEER_EVENT_TYPES (a string: kinds may be added). */
export const PeerEventJson = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  configuration: Nullable(Type.String()),
  peer_id: Type.Union([Type.String(), Type.Null()], { description: 'The public key' }),
  peer_name: Nullable(Type.String()),
  node_id: Nullable(Type.Integer()),
  message: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String(),
});
export type PeerEventJson = Static<typeof PeerEventJson>;

export const PeerEventsQuery = Type.Object({
  configurationName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'public key; needs configurationName',
    }),
  ),
  type: Type.Optional(Type.String({ description: 'one type or several, comma-separated' })),
  from: Type.Optional(Type.String({ description: 'ISO 8601, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO 8601, exclusive' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const PeerEventsJson = Type.Object({
  events: Type.Array(PeerEventJson),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type PeerEventsJson = Static<typeof PeerEventsJson>;

const { poll_interval_seconds: poll, enforcement_interval_seconds: enforcement } = INTERVAL_LIMITS;

/** The panel settings in force (a saved value, else the start flag's default). */
export const PanelSettingsJson = Type.Object({
  timezone: Type.String({ description: 'IANA zone of reset schedules, e.g. Europe/Berlin' }),
  expiry_warning_days: Type.Integer({ description: 'Warn this many days before expiry' }),
  usage_minute_retention_hours: Type.Integer(),
  usage_hour_retention_days: Type.Integer(),
  usage_day_retention_days: Type.Union([Type.Integer(), Type.Null()], {
    description: 'null = keep day samples forever',
  }),
  // Numbers, not integers: as the start flags, which take fractions.
  poll_interval_seconds: Type.Number({
    description: `Seconds between polls of every node, ${poll.min}–${poll.max}. Default: --poll-interval; a saved value wins at once`,
  }),
  enforcement_interval_seconds: Type.Number({
    description: `Longest wait in seconds between enforcement passes (expiry, resets; traffic is enforced after every poll), ${enforcement.min}–${enforcement.max}. Default: --enforcement-interval; a saved value wins at once`,
  }),
});
export type PanelSettingsJson = Static<typeof PanelSettingsJson>;

export const UpdatePanelSettingsBody = Type.Partial(PanelSettingsJson, {
  additionalProperties: false,
});
export type UpdatePanelSettingsBody = Static<typeof UpdatePanelSettingsBody>;
