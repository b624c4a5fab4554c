import { join } from 'node:path';
import type { RouteInstaller } from '../app-context.ts';
import { runRoutes } from '../routes/runs.ts';
import { composeRuntime } from './compose-runtime.ts';
import { modelTestRoute } from './model-test-route.ts';

/**
 * Starts the runtime (orchestrator with PostgreSQL adapters: recovery of runs whose owner died happens here, before
 * the server answers) and installs the run routes. The orchestrator stops when the app closes.
 */
export const runtimeRoutes: RouteInstaller = async (app, ctx) => {
  const settings = await ctx.repos.settings.getRuntime();
  const { orchestrator, models } = composeRuntime({
    pool: ctx.db.pool,
    defaults: settings.guardrails,
    credentials: app.credentials,
    allowedBaseUrls: ctx.config.allowedBaseUrls,
    workspaceRoot: join(ctx.config.dataDir, 'workspaces'),
    onModelCall: (c) => app.metrics?.observeModelCall(c.provider, c.started_at, c.finished_at, c.error?.code ?? null),
    logError: (msg, err) => ctx.logger.error({ err }, msg),
  });
  app.decorate('orchestrator', orchestrator);
  await orchestrator.start();
  app.addHook('onClose', async () => {
    await orchestrator.stop();
  });
  await runRoutes(orchestrator)(app, ctx);
  await modelTestRoute(models)(app, ctx);
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The runtime of this server (runs, control, the event bus for realtime). */
    orchestrator: import('@llmctl/runtime').Orchestrator;
  }
}
