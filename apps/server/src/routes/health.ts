import { LlmctlError } from '@llmctl/contracts';
import { migrationStatus } from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';

/**
 * `GET /api/health`: 200 only when the database answers and every migration is applied; otherwise
 * `503 unavailable` with the same report in `details`.
 */
export const healthRoutes: RouteInstaller = async (app, ctx) => {
  app.get('/api/health', async (req, reply) => {
    const started = Date.now();
    const database: Record<string, unknown> = { embedded: ctx.db.embedded, ok: false };
    try {
      const status = await migrationStatus(ctx.db.pool);
      database.latency_ms = Date.now() - started;
      database.migrations = { applied: status.applied.length, pending: status.pending };
      database.ok = status.pending.length === 0;
      if (!database.ok) database.error = 'migrations pending: run `llmctl db migrate`';
    } catch (err) {
      database.error = (err as Error).message;
    }
    let executor: Record<string, unknown>;
    try {
      executor = { ...(await ctx.executorStatus()) };
    } catch (err) {
      executor = { backend: 'unknown', ok: false, detail: (err as Error).message };
    }
    const report = { status: database.ok ? 'ok' : 'unavailable', version: ctx.config.version, database, executor, auth: { enabled: app.hasDecorator('llmctlAuth') ? app.llmctlAuth.enabled : false } };
    if (!database.ok) {
      req.log.warn({ database }, 'health check failed');
      throw new LlmctlError('unavailable', 'The database is not ready.', report);
    }
    return ok(reply, report);
  });
};
