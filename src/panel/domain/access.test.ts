import { describe, expect, it } from 'vitest';
import { decideAccess, roleCan } from './access.js';
import { CAPABILITIES, ROLES } from './vocabulary.js';

describe('decideAccess', () => {
  it('lets every role through public and signed-in rules', () => {
    for (const role of ROLES) {
      expect(decideAccess(role, { public: true })).toEqual({ allowed: 'all' });
      expect(decideAccess(role, { signedIn: true })).toEqual({ allowed: 'all' });
    }
  });

  it('gives an admin every capability but the reseller scope', () => {
    for (const c of CAPABILITIES) expect(roleCan('admin', c)).toBe(c !== 'subscribers.own');
  });

  it('keeps operators off users, settings writes and nodes writes', () => {
    for (const need of [
      'users.manage',
      'settings.write',
      'nodes.write',
      'configurations.write',
    ] as const)
      expect(decideAccess('operator', { need })).toEqual({ allowed: false, lacks: need });
    expect(decideAccess('operator', { need: 'peers.write' })).toEqual({ allowed: 'all' });
    expect(decideAccess('operator', { need: 'subscribers.write' })).toEqual({ allowed: 'all' });
    expect(decideAccess('operator', { need: 'events.read' })).toEqual({ allowed: 'all' });
  });

  it('lets a viewer read and nothing else', () => {
    for (const c of CAPABILITIES)
      expect(decideAccess('viewer', { need: c }).allowed !== false).toBe(c.endsWith('.read'));
  });

  it('lets a reseller only at subscriber routes marked own, scoped to its own', () => {
    expect(decideAccess('reseller', { need: 'subscribers.write', own: true })).toEqual({
      allowed: 'own',
    });
    expect(decideAccess('reseller', { need: 'subscribers.write' })).toEqual({
      allowed: false,
      lacks: 'subscribers.write',
    });
    for (const c of CAPABILITIES.filter((x) => x !== 'subscribers.own'))
      expect(decideAccess('reseller', { need: c }).allowed).toBe(false);
  });
});
