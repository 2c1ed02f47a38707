/**
 * Field names that hold a secret, compared without case, `_` or `-`: private and preshared keys,
 * passwords and their hashes, tokens (sessions, API keys, subscriber links, node credentials, the
 * Telegram bot), webhook secrets and headers (they carry `Authorization`), TOTP secrets and
 * recovery codes, join strings (they carry a node's token). `has_*` flags are not secrets.
 */
export const SECRET_FIELD_NAMES = [
  'private_key',
  'preshared_key',
  'password',
  'current_password',
  'password_hash',
  'smtp_password',
  'token',
  'token_hash',
  'key_hash',
  'session',
  'api_key',
  'apikey',
  'key',
  'secret',
  'webhook_secret',
  'headers',
  'bot_token',
  'telegram_bot_token',
  'totp',
  'totp_secret',
  'otpauth_url',
  'recovery_codes',
  'join',
  'join_string',
  'qr',
] as const;

const normal = (name: string) => name.toLowerCase().replace(/[_-]/g, '');
const SECRET_NAMES = new Set(SECRET_FIELD_NAMES.map(normal));

/** Whether a field of that name holds a secret (see SECRET_FIELD_NAMES). */
export function isSecretField(name: string): boolean {
  const n = normal(name);
  if (n.startsWith('has')) return false;
  return (
    SECRET_NAMES.has(n) || n.endsWith('password') || n.endsWith('secret') || n.endsWith('token')
  );
}

/** A copy of a JSON value without any field isSecretField names, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!isSecretField(k)) out[k] = withoutSecrets(v);
  return out;
}
