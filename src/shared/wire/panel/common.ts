import { Type, type Static, type TSchema } from 'typebox';

/** `T | null`, as a union (the answers' serializer and the OpenAPI document read it as such). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * Every answer of the panel API, as in WGDashboard: `{status, message, data}`. Failures carry
 * `status: false`, a message that says what was wrong, and a 4xx/5xx status code (WGDashboard
 * answers most failures with 200; we do not).
 */
export const Envelope = <T extends TSchema>(data: T) =>
  Type.Object({
    status: Type.Boolean(),
    message: Type.Union([Type.String(), Type.Null()]),
    data,
  });

/** A failure: `status: false`, the message, and the request field at fault when one is. */
export const FailureBody = Type.Object({
  ...Envelope(Type.Null()).properties,
  subject: Type.Optional(
    Type.String({
      description:
        'The request field the failure is about (`traffic_limit`, `peers[3]`, `body`), when one is',
    }),
  ),
});
export type FailureBody = Static<typeof FailureBody>;

/** A configuration's name (`/api/<action>/<configName>`, `configurationName=`). */
export const ConfigName = Type.String({ minLength: 1, maxLength: 64 });

/** `/api/<action>/<configName>`. */
export const ConfigNameParams = Type.Object({ configName: ConfigName });

/** Most peers one restrict/allow/delete (or quota) request may name. */
export const MAX_PEERS_PER_REQUEST = 10_000;
/** Most peers one bulk add may create. */
export const MAX_BULK_ADD = 1000;
