import { Type, type Static } from 'typebox';
import { ROLES } from '../../../panel/domain/vocabulary.js';
import { literalUnion } from '../literal-union.js';
import { Nullable } from './common.js';

export const RoleJson = literalUnion(ROLES);

const Bytes = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,20}$' })]);

/** A reseller's limits as sent: absent fields kept (a new reseller: not limited). */
export const ResellerLimitsBody = Type.Object(
  {
    max_subscribers: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    max_traffic_bytes: Type.Optional(Nullable(Bytes)),
    max_expiry_days: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 36_500 }))),
    configurations: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 }),
    ),
    balance_bytes: Type.Optional(Nullable(Bytes)),
    balance_days: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
  },
  { additionalProperties: false },
);
export type ResellerLimitsBody = Static<typeof ResellerLimitsBody>;

/** A reseller's limits and balance left (null: not limited). */
export const ResellerLimitsJson = Type.Object({
  max_subscribers: Nullable(Type.Integer()),
  max_traffic_bytes: Nullable(Type.Integer()),
  max_expiry_days: Nullable(Type.Integer()),
  configurations: Type.Array(Type.String()),
  balance_bytes: Nullable(Type.Integer()),
  balance_days: Nullable(Type.Integer()),
});
export type ResellerLimitsJson = Static<typeof ResellerLimitsJson>;

export const UserJson = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleJson,
  disabled: Type.Boolean(),
  totp_enabled: Type.Boolean(),
  created_at: Type.String(),
  limits: Nullable(ResellerLimitsJson),
});
export type UserJson = Static<typeof UserJson>;

/** Who am I: the user, and for a reseller what it has handed out. */
export const AccountJson = Type.Object({
  ...UserJson.properties,
  via: Type.Union([Type.Literal('session'), Type.Literal('api_key')]),
  api_key_name: Nullable(Type.String()),
  /** A reseller's subscribers and the sum of their traffic limits. */
  used: Nullable(Type.Object({ subscribers: Type.Integer(), traffic_bytes: Type.Integer() })),
});
export type AccountJson = Static<typeof AccountJson>;

export const AddUserBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    role: RoleJson,
    limits: Type.Optional(ResellerLimitsBody),
  },
  { additionalProperties: false },
);
export type AddUserBody = Static<typeof AddUserBody>;

export const UpdateUserBody = Type.Object(
  {
    id: Type.Integer(),
    role: Type.Optional(RoleJson),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    limits: Type.Optional(ResellerLimitsBody),
  },
  { additionalProperties: false },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const DeleteUserBody = Type.Object({ id: Type.Integer() }, { additionalProperties: false });
export type DeleteUserBody = Static<typeof DeleteUserBody>;

export const UpdateAccountBody = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 1024 }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;
