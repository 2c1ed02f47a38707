import { describe, expect, it } from 'vitest';
import { isSecretField, SECRET_FIELD_NAMES, withoutSecrets } from './redact.js';

describe('withoutSecrets', () => {
  it('drops every secret field at any depth, in any spelling, and keeps has_* flags', () => {
    const value = {
      name: 'phone',
      private_key: 'x',
      PresharedKey: 'x',
      has_private_key: true,
      HasSecret: true,
      nested: [{ smtp: { password: 'x', host: 'h' }, telegram: { bot_token: 'x' } }],
      Headers: { '1': { key: 'Authorization', value: 'Bearer x' } },
      Key: 'wgf_x',
      api_key_name: 'wgf_abc',
    };
    expect(withoutSecrets(value)).toEqual({
      name: 'phone',
      has_private_key: true,
      HasSecret: true,
      nested: [{ smtp: { host: 'h' }, telegram: {} }],
      api_key_name: 'wgf_abc',
    });
  });

  it('names every listed field, and any *password, *secret, *token', () => {
    for (const name of SECRET_FIELD_NAMES) expect(isSecretField(name), name).toBe(true);
    for (const name of ['new_password', 'client-secret', 'refreshToken'])
      expect(isSecretField(name), name).toBe(true);
    for (const name of ['name', 'public_key', 'username', 'has_password', 'token_count_x'])
      expect(isSecretField(name), name).toBe(false);
  });
});
