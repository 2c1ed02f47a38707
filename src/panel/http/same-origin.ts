import type { FastifyRequest } from 'fastify';

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The origin (`scheme://host[:port]`) of a URL; null when it is not one. */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * Why a state-changing request authenticated by the session cookie must be refused as
 * cross-site; null when it may go on. Refused: `Sec-Fetch-Site` is `cross-site` or `same-site`,
 * or `Origin` (or, without one, `Referer`) names another origin than the panel's own (scheme and
 * Host as the panel sees them: behind a reverse proxy, pass the Host header through or set
 * --trust-proxy with X-Forwarded-Host/-Proto). A request with none of these headers (a script
 * with a cookie jar; browsers always send one of them) is let through.
 */
export function crossSiteReason(req: FastifyRequest): string | null {
  const site = header(req, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site is ${site}`;
  const own = originOf(`${req.protocol}://${req.host}`);
  const origin = header(req, 'origin');
  if (origin !== undefined)
    return originOf(origin) === own && own !== null ? null : `Origin ${origin} is not ${own}`;
  const referer = header(req, 'referer');
  if (referer !== undefined && (originOf(referer) !== own || own === null))
    return `Referer is not from ${own}`;
  return null;
}
