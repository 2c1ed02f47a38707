import { reactive } from 'vue';
import { call } from '../api/client';
import {
  ROLE_CAPABILITIES,
  type Capability,
  type Role,
} from '../../../src/panel/domain/vocabulary';

/** The signed-in state the whole UI shares; `null` = not asked yet. */
export const session = reactive({
  signedIn: null as boolean | null,
  /** Who is signed in (getAccount); null until known. */
  username: null as string | null,
  role: null as Role | null,
  /** Why the sign-in page is shown (session ended, signed out): a message key. */
  notice: '',
});

/** Whether the signed-in role may do this: the menus offer nothing that would answer 403. */
export function can(capability: Capability): boolean {
  return session.role !== null && ROLE_CAPABILITIES[session.role].includes(capability);
}

/** Who is signed in (name and role), for the menus. */
export async function loadAccount(): Promise<void> {
  const a = await call('getAccount', { expect401: true });
  session.username = a.data.username;
  session.role = a.data.role;
}

/** Asks the panel whether the session cookie is still good. */
export async function checkSession(): Promise<boolean> {
  try {
    await call('validateAuthentication', { expect401: true });
    await loadAccount();
    session.signedIn = true;
  } catch {
    session.signedIn = false;
  }
  return session.signedIn;
}

/**
 * Signs in (with the TOTP or a recovery code when the user has TOTP on); rejects with the
 * panel's message (wrong password or code, too many tries).
 */
export async function signIn(username: string, password: string, totp = ''): Promise<void> {
  await call('authenticate', {
    body: { username, password, ...(totp && { totp }) },
    expect401: true,
  });
  await loadAccount();
  session.signedIn = true;
  session.notice = '';
}

/** Signs out; the cookie is gone whatever the panel answers. */
export async function signOut(): Promise<void> {
  try {
    await call('signout', { expect401: true });
  } finally {
    session.signedIn = false;
    session.role = null;
    session.username = null;
    session.notice = 'session.signedOut';
  }
}
