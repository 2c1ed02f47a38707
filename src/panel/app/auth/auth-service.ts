import { createHash, randomBytes } from 'node:crypto';
import { conflict, invalidInput, notFound, tooManyRequests, unauthorized } from '../errors.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { LoginThrottle } from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import {
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
  totpMatches,
  totpStep,
  totpUri,
} from './totp.js';
import type { Principal, Role } from './principal.js';

export interface ApiKeyInfo {
  readonly id: number;
  readonly prefix: string;
  /** The name its owner gave it (null for keys made before names). */
  readonly name: string | null;
  /** The user it acts as. */
  readonly owner: { readonly id: number; readonly username: string; readonly role: Role } | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** The storage the auth use cases need (implemented over the database in adapters/db/repos). */
export interface AuthStore {
  /** A user by name (disabled ones too: the caller refuses them). */
  findUser(username: string): Promise<{
    id: number;
    username: string;
    passwordHash: string;
    role: Role;
    disabled: boolean;
    totpEnabled: boolean;
    /** The TOTP secret (clear: the store opens it), null before an enrolment began. */
    totpSecret: string | null;
  } | null>;
  /** Stores a TOTP secret (sealed) and whether sign-in asks for it; null ends TOTP. */
  setTotp(userId: number, secret: string | null, enabled: boolean): Promise<void>;
  /** Replaces the user's recovery codes by these hashes (none: removes them). */
  replaceRecoveryCodes(userId: number, hashes: readonly string[]): Promise<void>;
  /**
   * Records `step` as the user's last TOTP step when it is later than the one stored: true once
   * per step (of two requests racing with one code, one wins).
   */
  useTotpStep(userId: number, step: number): Promise<boolean>;
  /** Uses up a recovery code: true once, when it was the user's. */
  useRecoveryCode(userId: number, hash: string): Promise<boolean>;
  /** Whether any enabled user signs in with TOTP. */
  anyTotpEnabled(): Promise<boolean>;
  createSession(tokenHash: string, userId: number, expiresAt: Date): Promise<void>;
  /** A live session of an enabled user. */
  findSession(
    tokenHash: string,
    now: Date,
  ): Promise<{ userId: number; username: string; role: Role } | null>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;
  /** Every key (ownerId null), or one user's. */
  listApiKeys(ownerId: number | null): Promise<ApiKeyInfo[]>;
  createApiKey(
    keyHash: string,
    prefix: string,
    expiresAt: Date | null,
    name: string | null,
    ownerId: number,
  ): Promise<number>;
  /** Finds a valid key of an enabled user and records its use. */
  useApiKey(keyHash: string, now: Date): Promise<ApiKeyInfo | null>;
  /** Deletes a key (any, with ownerId null; else only that user's). */
  deleteApiKey(by: { keyHash: string } | { id: number }, ownerId: number | null): Promise<boolean>;
}

/** Session and API key tokens are 256-bit random values; the database holds only their hash. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

export interface AuthServiceOptions {
  readonly sessionTtlMs: number;
  /** Bounds the password checks running at once (each scrypt hash takes ~32 MiB). */
  readonly hashGate?: ConcurrencyGate;
  /** The password check; tests count its calls. */
  readonly verify?: (password: string, stored: string) => Promise<boolean>;
}

/** Two hashes at once (the machine's cores are the limit anyway), 32 waiting, others refused. */
const defaultHashGate = () => new ConcurrencyGate(2, 32);

/** Sign-in, sessions and API keys. Time comes in as an argument: no clock is read here. */
export class AuthService {
  private readonly hashGate: ConcurrencyGate;
  private readonly verify: (password: string, stored: string) => Promise<boolean>;

  constructor(
    private readonly store: AuthStore,
    private readonly throttle: LoginThrottle,
    private readonly options: AuthServiceOptions,
  ) {
    this.hashGate = options.hashGate ?? defaultHashGate();
    this.verify = options.verify ?? verifyPassword;
  }

  /**
   * Checks username, password and, for a user with TOTP on, its code (or a recovery code, used
   * up); returns a new session token (for the cookie). The attempt is reserved in the throttle
   * before the password is hashed (it counts as a failure until it succeeds, a wrong code too),
   * and hashes wait their turn in a bounded gate: a burst of attempts gets 429s, not a hash each.
   */
  async signIn(
    username: string,
    password: string,
    clientIp: string,
    now: Date,
    totp?: string,
  ): Promise<string> {
    const keys = [`user:${username}`, `ip:${clientIp}`];
    const wait = this.throttle.reserve(keys, now.getTime());
    if (wait > 0)
      throw tooManyRequests(
        `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`,
        wait / 1000,
      );
    const user = await this.store.findUser(username);
    // Verify against a dummy hash when the user is unknown, so timing does not tell which it was.
    const checked = await this.hashGate.run(() =>
      this.verify(password, user?.passwordHash ?? DUMMY_HASH),
    );
    if (checked.refused) throw tooManyRequests('too many sign-ins at once; try again', 1);
    if (!user || !checked.value || user.disabled)
      throw unauthorized(
        user?.totpEnabled
          ? 'Sorry, your username, password or OTP is incorrect.'
          : 'Sorry, your username or password is incorrect.',
      );
    if (user.totpEnabled && !(await this.secondFactor(user.id, user.totpSecret, totp, now)))
      throw unauthorized('Sorry, your username, password or OTP is incorrect.');
    this.throttle.succeed(keys);
    const token = newToken('');
    await this.store.createSession(
      hashToken(token),
      user.id,
      new Date(now.getTime() + this.options.sessionTtlMs),
    );
    return token;
  }

  /** The TOTP code at `now`, or one of the user's recovery codes (used up by this call). */
  private async secondFactor(
    userId: number,
    secret: string | null,
    code: string | undefined,
    now: Date,
  ): Promise<boolean> {
    if (!code || !secret) return false;
    // A code is good once: a later use inside its window (a replay) is refused.
    const step = await totpStep(secret, code.trim(), now);
    if (step !== null) return this.store.useTotpStep(userId, step);
    return (
      looksLikeRecoveryCode(code) && this.store.useRecoveryCode(userId, recoveryCodeHash(code))
    );
  }

  /** Whether the sign-in form should ask for a code: some enabled user has TOTP on. */
  isTotpEnabled(): Promise<boolean> {
    return this.store.anyTotpEnabled();
  }

  private async totpUser(who: Principal) {
    const user = await this.store.findUser(who.username);
    if (!user || user.id !== who.userId) throw notFound('user', who.userId);
    return user;
  }

  /** Throttles code attempts of one user (confirm, disable) like sign-ins. */
  private reserveCode(who: Principal, now: Date): string[] {
    const keys = [`totp:${who.userId}`];
    const wait = this.throttle.reserve(keys, now.getTime());
    if (wait > 0)
      throw tooManyRequests(
        `too many wrong codes; try again in ${Math.ceil(wait / 1000)} s`,
        wait / 1000,
      );
    return keys;
  }

  /**
   * Starts a TOTP enrolment: a new secret, kept (sealed) but not asked at sign-in until a code
   * confirms it. Refused while TOTP is on (disable it first).
   */
  async beginTotp(who: Principal): Promise<{ secret: string; uri: string }> {
    const user = await this.totpUser(who);
    if (user.totpEnabled) throw conflict('TOTP is on already: disable it first', 'totp');
    const secret = newTotpSecret();
    await this.store.setTotp(user.id, secret, false);
    return { secret, uri: totpUri(secret, user.username) };
  }

  /** Confirms the enrolment with a code: TOTP is on, and ten new recovery codes are handed out. */
  async confirmTotp(who: Principal, code: string, now: Date): Promise<string[]> {
    const user = await this.totpUser(who);
    if (user.totpEnabled) throw conflict('TOTP is on already', 'totp');
    if (!user.totpSecret) throw invalidInput('code', 'begin the enrolment first (totp/begin)');
    const keys = this.reserveCode(who, now);
    if (!(await totpMatches(user.totpSecret, code.trim(), now)))
      throw invalidInput('code', 'is not the current code of this secret');
    this.throttle.succeed(keys);
    const { codes, hashes } = newRecoveryCodes();
    await this.store.replaceRecoveryCodes(user.id, hashes);
    await this.store.setTotp(user.id, user.totpSecret, true);
    return codes;
  }

  /** Turns TOTP off after a code (or a recovery code); the secret and recovery codes go. */
  async disableTotp(who: Principal, code: string, now: Date): Promise<void> {
    const user = await this.totpUser(who);
    if (!user.totpEnabled) throw conflict('TOTP is not on', 'totp');
    const keys = this.reserveCode(who, now);
    if (!(await this.secondFactor(user.id, user.totpSecret, code, now)))
      throw invalidInput('code', 'is not a current code or a recovery code');
    this.throttle.succeed(keys);
    await this.store.setTotp(user.id, null, false);
    await this.store.replaceRecoveryCodes(user.id, []);
  }

  async signOut(token: string): Promise<void> {
    await this.store.deleteSession(hashToken(token));
  }

  /** Who a request is, from its session cookie or API key header; null when neither is valid. */
  async authenticate(
    creds: { session?: string | undefined; apiKey?: string | undefined },
    now: Date,
  ): Promise<Principal | null> {
    if (creds.apiKey) {
      const key = await this.store.useApiKey(hashToken(creds.apiKey), now);
      return key?.owner
        ? {
            kind: 'api_key',
            userId: key.owner.id,
            username: key.owner.username,
            role: key.owner.role,
            apiKeyName: key.name ?? key.prefix,
          }
        : null;
    }
    if (creds.session) {
      const s = await this.store.findSession(hashToken(creds.session), now);
      return s
        ? {
            kind: 'session',
            userId: s.userId,
            username: s.username,
            role: s.role,
            apiKeyName: null,
          }
        : null;
    }
    return null;
  }

  /** An admin sees every key; anyone else its own. */
  listApiKeys(who: Principal): Promise<ApiKeyInfo[]> {
    return this.store.listApiKeys(who.role === 'admin' ? null : who.userId);
  }

  /**
   * Creates a key acting as `who` (its role, whatever that becomes); the key itself is returned
   * this once and never again.
   */
  async createApiKey(
    who: Principal,
    name: string | null,
    expiresAt: Date | null,
    now: Date,
  ): Promise<{ key: string; info: ApiKeyInfo }> {
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime())
      throw invalidInput('ExpiredAt', 'must be in the future');
    const key = newToken('wgf_');
    const prefix = key.slice(0, 12);
    const id = await this.store.createApiKey(hashToken(key), prefix, expiresAt, name, who.userId);
    const owner = { id: who.userId, username: who.username, role: who.role };
    return { key, info: { id, prefix, name, owner, createdAt: now, expiresAt, lastUsedAt: null } };
  }

  /** Revokes a key: an admin any, anyone else only its own (another's is not found). */
  async deleteApiKey(who: Principal, by: { key: string } | { id: number }): Promise<void> {
    const found = await this.store.deleteApiKey(
      'key' in by ? { keyHash: hashToken(by.key) } : by,
      who.role === 'admin' ? null : who.userId,
    );
    if (!found) throw notFound('API key');
  }

  /**
   * Checks a signed-in user's own password (changing its account), throttled and gated like a
   * sign-in; a wrong one is a 400 naming `field`.
   */
  async checkOwnPassword(
    username: string,
    password: string,
    clientIp: string,
    now: Date,
    field: string,
  ): Promise<void> {
    const keys = [`user:${username}`, `ip:${clientIp}`];
    const wait = this.throttle.reserve(keys, now.getTime());
    if (wait > 0)
      throw tooManyRequests(
        `too many wrong passwords; try again in ${Math.ceil(wait / 1000)} s`,
        wait / 1000,
      );
    const user = await this.store.findUser(username);
    const checked = await this.hashGate.run(() =>
      this.verify(password, user?.passwordHash ?? DUMMY_HASH),
    );
    if (checked.refused) throw tooManyRequests('too many password checks at once; try again', 1);
    if (!user || !checked.value) throw invalidInput(field, 'is not your password');
    this.throttle.succeed(keys);
  }
}

// scrypt of a random password: only ever compared against, never matches.
const DUMMY_HASH =
  'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$Vr3lY9Zb5TT1n7F3XqZ0x5d3zM9p1lq1XgWm2mGf7mY=';
