import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { packageRoot } from '../../shared/package-root.js';
import { isUiRoute } from '../../shared/ui-routes.js';

/** web/dist of the package (from src/, dist/ and the bundle alike). */
export const DEFAULT_UI_ROOT = path.join(packageRoot(import.meta.url), 'web', 'dist');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>wgfleet</title>
<p>The web UI is not built. Run <code>npm run build:web</code>; the API is at <code>/api</code>.</p>`;

/** Files under assets/ carry a content hash in their name: they never change. */
const isHashedAsset = (rel: string) => rel.startsWith('assets/');

/** A file of the UI for this URL path, relative to root; null when there is none. */
function fileFor(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return null;
  }
  if (rel === '' || rel.includes('\0')) return null;
  const abs = path.resolve(root, rel);
  if (!abs.startsWith(root + path.sep)) return null; // no way out of the UI folder
  try {
    return statSync(abs).isFile() ? path.relative(root, abs).split(path.sep).join('/') : null;
  } catch {
    return null;
  }
}

/**
 * Serves the single-page web UI (web/dist) at `/`: hashed assets with a long immutable cache,
 * index.html never cached, and index.html for the UI's own client-side routes (UI_ROUTES).
 * Public routes: the page holds no data; every `/api` call is still authenticated. Any other
 * path gets the JSON 404, so a probe of `/health` is not answered by the UI with a 200.
 */
export const staticUi =
  (root: string = DEFAULT_UI_ROOT): FastifyPluginAsync =>
  async (app) => {
    const dir = path.resolve(root);
    const built = existsSync(path.join(dir, 'index.html'));
    if (built) await app.register(fastifyStatic, { root: dir, serve: false });

    const sendIndex = (reply: FastifyReply) => {
      if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    };

    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      const urlPath = req.url.split('?')[0] ?? '/';
      if (urlPath === '/api' || urlPath.startsWith('/api/')) return reply.callNotFound();
      const file = built ? fileFor(dir, urlPath) : null;
      if (file === 'index.html' || (file === null && isUiRoute(urlPath))) return sendIndex(reply);
      if (file === null) return reply.callNotFound();
      if (isHashedAsset(file))
        return reply.sendFile(file, { maxAge: 365 * 24 * 3600 * 1000, immutable: true });
      return reply.sendFile(file, { maxAge: 3600 * 1000 });
    });
  };
