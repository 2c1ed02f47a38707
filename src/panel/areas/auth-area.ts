import { createAuthStore } from '../adapters/db/repos/auth-store.js';
import { AuthService } from '../app/auth/auth-service.js';
import { LoginThrottle } from '../app/auth/login-throttle.js';
import type { PanelContext } from '../context.js';
import { createUsersStore } from '../adapters/db/repos/users-store.js';
import { hashPassword } from '../app/auth/passwords.js';
import { authRoutes } from '../http/routes/auth-routes.js';
import { usersRoutes } from '../http/routes/users-routes.js';
import type { PanelArea } from './area.js';

export interface AuthArea extends PanelArea {
  readonly auth: AuthService;
}

/** Sign-in, sessions, API keys, users and accounts; and an hourly sweep of expired sessions. */
export function createAuthArea(ctx: PanelContext): AuthArea {
  const auth = new AuthService(createAuthStore(ctx.database), new LoginThrottle(), {
    sessionTtlMs: ctx.config.sessionTtlMs,
  });
  const store = createAuthStore(ctx.database);
  let timer: NodeJS.Timeout | undefined;
  return {
    auth,
    routes: [
      authRoutes({ auth, now: ctx.now, sessionTtlMs: ctx.config.sessionTtlMs }),
      usersRoutes({
        store: createUsersStore(ctx.database),
        hashPassword,
        now: ctx.now,
        checkOwnPassword: (username, password, field, clientIp) =>
          auth.checkOwnPassword(username, password, clientIp, ctx.now(), field),
      }),
    ],
    start() {
      timer = setInterval(() => {
        store
          .deleteExpiredSessions(ctx.now())
          .catch((err: unknown) => ctx.logger.warn({ err }, 'session sweep failed'));
      }, 3600_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
