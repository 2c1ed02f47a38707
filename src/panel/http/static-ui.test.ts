import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticUi } from './static-ui.js';

async function appServing(root: string) {
  const app = Fastify();
  const publicRoutes: string[] = [];
  app.addHook('onRoute', (r) => {
    if ((r.config as { public?: boolean } | undefined)?.public) publicRoutes.push(r.url);
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.status(404).send({ status: false, message: 'no such endpoint', data: null }),
  );
  app.get('/api/real', async () => ({ status: true }));
  await app.register(staticUi(root));
  return { app, publicRoutes };
}

describe('staticUi', () => {
  let root: string;
  let app: FastifyInstance;
  let publicRoutes: string[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wgfleet-ui-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(root, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    ({ app, publicRoutes } = await appServing(root));
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const url of [
      '/',
      '/fleet',
      '/fleet/node1',
      '/signin?next=%2Ffleet',
      '/configurations/wg0?x=1',
    ]) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('id="app"');
    }
  });

  it('serves hashed assets with a long immutable cache, other files for an hour', async () => {
    const asset = await app.inject('/assets/index-AbC123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('leaves /api alone: real routes answer, unknown ones get the JSON 404', async () => {
    expect((await app.inject('/api/real')).json()).toEqual({ status: true });
    const r = await app.inject('/api/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ status: false, message: 'no such endpoint' });
    expect((await app.inject('/api')).statusCode).toBe(404);
  });

  it('never serves a file outside the UI folder', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e%2f%2e%2e%2fx']) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body, url).not.toContain('"name"');
    }
  });

  it("answers 404 for paths that are neither a file nor one of the UI's routes", async () => {
    for (const url of ['/health', '/healthz', '/docs', '/fleet/x/y', '/configurations/wg0/x']) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json(), url).toMatchObject({ status: false, message: 'no such endpoint' });
    }
  });

  it('declares its routes public (the page holds no data)', () => {
    expect(publicRoutes).toContain('/*');
  });

  it('says how to build the UI when web/dist is missing', async () => {
    const { app: bare } = await appServing(join(root, 'missing'));
    const r = await bare.inject('/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('npm run build:web');
    await bare.close();
  });
});
