import { Type, type Static } from 'typebox';
import { Nullable } from './common.js';

/** An API key in answers: the whole key only in the answer that created it. */
export const ApiKeyJson = Type.Object({
  id: Type.Integer(),
  Key: Type.String({
    description: 'The full key when just created; otherwise its first characters and "…"',
  }),
  Name: Nullable(Type.String({ description: 'The name its owner gave it' })),
  Owner: Nullable(Type.String({ description: 'The user it acts as (its role)' })),
  CreatedAt: Type.String(),
  ExpiredAt: Nullable(Type.String()),
  LastUsedAt: Nullable(Type.String()),
});
export type ApiKeyJson = Static<typeof ApiKeyJson>;

export const AuthenticateBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  totp: Type.Optional(
    Type.String({
      maxLength: 32,
      description: 'The TOTP code (or a recovery code) when the user has TOTP on (WGDashboard 4.3)',
    }),
  ),
});
export type AuthenticateBody = Static<typeof AuthenticateBody>;

/**
 * WGDashboard 4.3 sends `{"NeverExpire": bool, "ExpiredAt": "YYYY-MM-DD HH:mm:ss"}`
 * (newDashboardAPIKey.vue); `neverExpire` is this panel's first spelling. One of them is required.
 */
export const NewApiKeyBody = Type.Object({
  name: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'What the key is for' })),
  ),
  NeverExpire: Type.Optional(Type.Boolean({ description: 'WGDashboard 4.3 spelling' })),
  neverExpire: Type.Optional(Type.Boolean({ description: 'Same as NeverExpire' })),
  ExpiredAt: Type.Optional(
    Nullable(Type.String({ description: 'ISO 8601 or "YYYY-MM-DD HH:mm:ss"; no offset = UTC' })),
  ),
});
export type NewApiKeyBody = Static<typeof NewApiKeyBody>;

export const DeleteApiKeyBody = Type.Object({
  Key: Type.Optional(Type.String({ minLength: 1 })),
  id: Type.Optional(Type.Integer()),
});
export type DeleteApiKeyBody = Static<typeof DeleteApiKeyBody>;

/** A TOTP enrolment begun: the secret (to type in), its link and the link as a QR code. */
export const TotpBeginJson = Type.Object({
  secret: Type.String({ description: 'Base32; also in the link' }),
  otpauth_url: Type.String(),
  qr: Type.String({ description: 'PNG data URL of the otpauth:// link' }),
});
export type TotpBeginJson = Static<typeof TotpBeginJson>;

export const TotpCodeBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);
export type TotpCodeBody = Static<typeof TotpCodeBody>;

export const TotpRecoveryJson = Type.Object({
  recovery_codes: Type.Array(Type.String(), { description: 'Each works once, instead of a code' }),
});
export type TotpRecoveryJson = Static<typeof TotpRecoveryJson>;
