import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>llmctl Studio</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5;color:#222}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>llmctl Studio</h1>
<p>The API is running (try <a href="/api/health">/api/health</a>), but the web studio has not been built yet.</p>
<p>Build it with <code>npm run build:studio</code> and reload this page, or start everything with <code>npm start</code>.</p>
</body></html>`;

function isPagePath(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/api' || path.startsWith('/api/') || path === '/metrics' || path.startsWith('/socket.io')) return false;
  return extname(path) === '' || (req.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the built studio (`dist`) at `/` with an SPA fallback (non-API GETs without a file extension get
 * index.html). Without a build, `/` and page paths answer a short page saying how to build it. Returns the
 * not-found hook the error handling calls first.
 */
export async function installStudio(app: FastifyInstance, dist: string):
  Promise<(req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined> {
  const built = existsSync(join(dist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: true, index: ['index.html'] });
    return (req, reply) => {
      if (!isPagePath(req)) return undefined;
      // sendFile streams and returns nothing: hand the reply back, or the caller would answer a second time (the
      // "Reply was already sent" warning on every deep link and reload).
      void reply.code(200).type('text/html; charset=utf-8').sendFile('index.html');
      return reply;
    };
  }
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
  return (req, reply) => (isPagePath(req) ? reply.code(200).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE) : undefined);
}
