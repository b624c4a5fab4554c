/**
 * One concise log line per API request (`GET /api/runs 200 4 ms`, with method, url, status, ms and the request and
 * correlation ids), instead of Fastify's two lines per request; studio pages and static files are not logged (a
 * server error on them is). Keeps the console readable at the default level.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

function logged(req: FastifyRequest, status: number): boolean {
  const path = req.url.split('?')[0] ?? '';
  return status >= 500 || path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

/** Adds the request-line hook (build the app with `disableRequestLogging: true`); `logger` is the app's logger. */
export function installRequestLog(app: FastifyInstance, logger: Logger = app.log as Logger): void {
  app.addHook('onResponse', async (req, reply) => {
    if (!logged(req, reply.statusCode)) return;
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    // Through the app's logger with the request's ids (the fields its child logger binds): no child made per request.
    if (!logger.isLevelEnabled(level)) return;
    const ms = Math.round(reply.elapsedTime);
    const line = { request_id: req.id, correlation_id: req.correlationId, method: req.method, url: req.url, status: reply.statusCode, ms };
    logger[level](line, `${req.method} ${req.url} ${reply.statusCode} ${ms} ms`);
  });
}
