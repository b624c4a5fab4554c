import { LlmctlError } from '@llmctl/contracts';
import { migrationStatus } from '@llmctl/store';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';

/** How long the health check waits for the database before it reports it unreachable. */
const DATABASE_CHECK_MS = 3000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /api/health`: 200 only when the database answers and every migration is applied; otherwise
 * `503 unavailable`. While the database cannot be reached (down, network cut, no answer within 3 s) the details say
 * `database: "unreachable"` with `reason: "database_unreachable"` and the driver's message in `database_error`;
 * with migrations pending, `database` is the usual report and `reason: "migrations_pending"`.
 */
export const healthRoutes: RouteInstaller = async (app, ctx) => {
  app.get('/api/health', async (req, reply) => {
    const started = Date.now();
    const database: Record<string, unknown> = { embedded: ctx.db.embedded, ok: false };
    let unreachable: string | null = null;
    try {
      const status = await withTimeout(migrationStatus(ctx.db.pool), DATABASE_CHECK_MS);
      database.latency_ms = Date.now() - started;
      database.migrations = { applied: status.applied.length, pending: status.pending };
      database.ok = status.pending.length === 0;
      if (!database.ok) database.error = 'migrations pending: run `llmctl db migrate`';
    } catch (err) {
      unreachable = (err as Error).message;
      database.error = unreachable;
    }
    let executor: Record<string, unknown>;
    try {
      executor = { ...(await ctx.executorStatus()) };
    } catch (err) {
      executor = { backend: 'unknown', ok: false, detail: (err as Error).message };
    }
    const auth = { enabled: app.hasDecorator('llmctlAuth') ? app.llmctlAuth.enabled : false };
    const report = { status: database.ok ? 'ok' : 'unavailable', version: ctx.config.version, database, executor, auth };
    const supervisor = (ctx.db as { embeddedServer?: { state: string } }).embeddedServer;
    if (unreachable !== null) {
      req.log.warn({ code: 'database_unreachable', database }, 'health check failed: the database is unreachable');
      throw new LlmctlError('unavailable', 'The database is unreachable.', {
        ...report, reason: 'database_unreachable', database: 'unreachable', database_embedded: ctx.db.embedded, database_error: unreachable,
        // The embedded PostgreSQL's supervisor says whether it is being restarted (running | restarting | failed | stopped).
        ...(supervisor ? { database_supervisor: supervisor.state } : {}),
      });
    }
    if (!database.ok) {
      req.log.warn({ database }, 'health check failed');
      throw new LlmctlError('unavailable', 'The database is not ready.', { ...report, reason: 'migrations_pending' });
    }
    return ok(reply, report);
  });
};
