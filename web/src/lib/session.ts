import { reactive } from 'vue';
import { call } from '../api/client';

/** The signed-in state the whole UI shares; `null` = not asked yet. */
export const session = reactive({
  signedIn: null as boolean | null,
  /** Why the sign-in page is shown (session ended, signed out): a message key. */
  notice: '',
});

/** Asks the panel whether the session cookie is still good. */
export async function checkSession(): Promise<boolean> {
  try {
    await call('validateAuthentication', { expect401: true });
    session.signedIn = true;
  } catch {
    session.signedIn = false;
  }
  return session.signedIn;
}

/** Signs in; rejects with the panel's message (wrong password, too many tries). */
export async function signIn(username: string, password: string): Promise<void> {
  await call('authenticate', { body: { username, password }, expect401: true });
  session.signedIn = true;
  session.notice = '';
}

/** Signs out; the cookie is gone whatever the panel answers. */
export async function signOut(): Promise<void> {
  try {
    await call('signout', { expect401: true });
  } finally {
    session.signedIn = false;
    session.notice = 'session.signedOut';
  }
}
