import { Type, type Static } from 'typebox';
import { ConfigName, Nullable } from './common.js';

/**
 * Shapes of the WGDashboard 4.3 routes that only exist for its scripts (docs/WGDASHBOARD.md):
 * the field names and nesting are 4.3's, read from its dashboard.py and modules.
 */

/** `getNumberOfAvailableIPs`: free host addresses by interface address. */
export const NumberOfAvailableIps = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));
export type NumberOfAvailableIps = Static<typeof NumberOfAvailableIps>;

/** `configurationName` and the peer's public key `id`, as 4.3's peer history routes take them. */
export const PeerOfConfigurationQuery = Type.Object({
  configurationName: ConfigName,
  id: Type.String({ minLength: 1, maxLength: 64, description: 'public key' }),
});

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });

/** `getPeerSessions`: days as 4.3 takes them (no startDate = today; no endDate = startDate). */
export const PeerSessionsQuery = Type.Object({
  ...PeerOfConfigurationQuery.properties,
  startDate: Type.Optional(Day),
  endDate: Type.Optional(Day),
});
export type PeerSessionsQuery = Static<typeof PeerSessionsQuery>;

/** `getPeerSessions`: the start of each minute the peer moved traffic, ISO 8601 UTC, in order. */
export const PeerSessions = Type.Array(Type.String());

/** `getPeerHistoricalEndpoints`: 4.3's `{endpoints: [{endpoint}], geolocation}`. */
export const PeerEndpointsJson = Type.Object({
  endpoints: Type.Array(
    Type.Object({
      endpoint: Type.String({ description: 'The address, without the port (as 4.3)' }),
      time: Nullable(Type.String({ description: 'Last handshake seen from it, ISO 8601 UTC' })),
    }),
  ),
  geolocation: Type.Array(Type.Unknown(), {
    description: 'Always empty: the panel does not send addresses to a geolocation service',
  }),
});
export type PeerEndpointsJson = Static<typeof PeerEndpointsJson>;

/** A body the route reads nothing of (it answers status:false whatever was sent). */
export const AnyBody = Type.Object({}, { additionalProperties: true });
