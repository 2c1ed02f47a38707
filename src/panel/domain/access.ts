import { ROLE_CAPABILITIES, type Capability, type Role } from './vocabulary.js';

/**
 * What a route asks of its caller: nothing (`public`), a signed-in user of any role
 * (`signed_in`: its own account), or a capability. `own`: a reseller may call it too, on what
 * it created only (the route's use case scopes it).
 */
export type AccessRule =
  | { readonly public: true }
  | { readonly signedIn: true }
  | { readonly need: Capability; readonly own?: true };

/** Whether a role may call a route: `all`, only on what it owns (`own`), or what it lacks. */
export type AccessDecision =
  { readonly allowed: 'all' | 'own' } | { readonly allowed: false; readonly lacks: Capability };

/** Decides a role against a route's rule (public routes are everyone's). */
export function decideAccess(role: Role, rule: AccessRule): AccessDecision {
  if ('public' in rule || 'signedIn' in rule) return { allowed: 'all' };
  const held = ROLE_CAPABILITIES[role];
  if (held.includes(rule.need)) return { allowed: 'all' };
  if (rule.own && held.includes('subscribers.own')) return { allowed: 'own' };
  return { allowed: false, lacks: rule.need };
}

/** Whether a role holds a capability (the web's menus: offer nothing that would answer 403). */
export const roleCan = (role: Role, capability: Capability): boolean =>
  ROLE_CAPABILITIES[role].includes(capability);
