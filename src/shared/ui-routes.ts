/**
 * The web UI's client-side routes. web/src/router.ts builds its router from these paths, and the
 * panel serves the UI's index.html for them only (any other path is a 404, so a probe of
 * `/health` or `/docs` is not fooled by a 200). `:param` matches one non-empty path segment.
 */
export const UI_ROUTES = {
  home: '/',
  signin: '/signin',
  fleet: '/fleet',
  node: '/fleet/:node',
  configurations: '/configurations',
  peers: '/configurations/:name',
  subscribers: '/subscribers',
  subscriber: '/subscribers/:id',
  events: '/events',
  audit: '/audit',
  webhooks: '/webhooks',
  settings: '/settings',
  account: '/account',
  users: '/users',
} as const;

/** Whether a URL path (no query) is one of the UI's routes; a trailing slash is allowed. */
export function isUiRoute(urlPath: string): boolean {
  const path = urlPath.length > 1 ? urlPath.replace(/\/$/, '') : urlPath;
  const parts = path.split('/');
  return Object.values(UI_ROUTES).some((route) => {
    const want = route.split('/');
    return (
      want.length === parts.length &&
      want.every((w, i) => (w.startsWith(':') ? parts[i] !== '' : w === parts[i]))
    );
  });
}
