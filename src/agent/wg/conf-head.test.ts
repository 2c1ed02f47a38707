import { describe, expect, it } from 'vitest';
import { headValue, setHeadValues } from './conf-head.js';

const HEAD = `[Interface]
# the office
PrivateKey = aaaa
Address = 10.0.0.1/24
address = fd00::1/64
ListenPort = 51820`;

describe('setHeadValues', () => {
  it('replaces, adds and removes keys; keeps comments and other lines', () => {
    const out = setHeadValues(HEAD, { Address: '10.9.0.1/24', MTU: '1380', ListenPort: null });
    expect(out).toBe(`[Interface]
# the office
PrivateKey = aaaa
Address = 10.9.0.1/24
MTU = 1380`);
    expect(headValue(out, 'mtu')).toBe('1380');
    expect(headValue(out, 'ListenPort')).toBeNull();
  });
});
