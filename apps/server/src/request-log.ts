/**
 * One concise log line per API request (`GET /api/runs 200 4 ms`, with method, url, status, ms and the request and
 * correlation ids), instead of Fastify's two lines per request; studio pages and static files are not logged (a
 * server error on them is). Keeps the console readable at the default level.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

function logged(req: FastifyRequest, status: number): boolean {
  const path = req.url.split('?')[0] ?? '';
  return status >= 500 || path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

/** Adds the request-line hook (build the app with `disableRequestLogging: true`). */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    if (!logged(req, reply.statusCode)) return;
    const ms = Math.round(reply.elapsedTime);
    const line = { method: req.method, url: req.url, status: reply.statusCode, ms };
    const msg = `${req.method} ${req.url} ${reply.statusCode} ${ms} ms`;
    if (reply.statusCode >= 500) req.log.error(line, msg);
    else req.log.info(line, msg);
  });
}
