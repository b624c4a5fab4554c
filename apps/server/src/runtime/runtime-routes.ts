import { join } from 'node:path';
import type { RouteInstaller } from '../app-context.ts';
import { runRoutes } from '../routes/runs.ts';
import { composeRuntime } from './compose-runtime.ts';
import { modelTestRoute } from './model-test-route.ts';
import { installControlRelay } from './control-relay.ts';
import { RuntimeSettingsCache } from './runtime-settings-cache.ts';

/**
 * Starts the runtime (orchestrator with PostgreSQL adapters: recovery of runs whose owner died happens here, before
 * the server answers) and installs the run routes. The orchestrator stops when the app closes.
 */
export const runtimeRoutes: RouteInstaller = async (app, ctx) => {
  const settings = await ctx.repos.settings.getRuntime();
  const { orchestrator, models, executor } = composeRuntime({
    pool: ctx.db.pool,
    defaults: settings.guardrails,
    credentials: app.credentials,
    allowedBaseUrls: ctx.config.allowedBaseUrls,
    workspaceRoot: join(ctx.config.dataDir, 'workspaces'),
    snapshotEvery: ctx.config.snapshotEvery,
    onModelCall: (c) => app.metrics?.observeModelCall(c.provider, c.started_at, c.finished_at, c.error?.code ?? null),
    logError: (msg, err) => ctx.logger.error({ err }, msg),
  });
  // Model rows are cached per name; every config:model:* change empties the cache (this process's changes here, other
  // processes' through the realtime layer's notifications, which calls `modelRows.invalidate` too).
  models.cacheModelRows();
  const emitBefore = ctx.emit;
  ctx.emit = (event) => {
    if (event.event_type.startsWith('config:model:')) models.invalidateModels();
    emitBefore(event);
  };
  app.decorate('modelRows', { invalidate: () => models.invalidateModels() });
  // ONE runtime-settings cache for the run start's cutover switch and the executor's `executor` setting (a first inline
  // attempt then skips its outbox read). The realtime layer's LISTEN connection feeds it (every settings save notifies
  // all processes); this process's own saves also empty it before the PUT answers.
  const runtimeSettings = new RuntimeSettingsCache(ctx.repos.settings);
  ctx.repos.settings.onSaved(() => runtimeSettings.invalidate());
  app.decorate('runtimeSettings', runtimeSettings);
  executor.useRuntimeSetting(runtimeSettings.executorSetting());
  app.decorate('orchestrator', orchestrator);
  await orchestrator.start();
  const relay = installControlRelay(orchestrator, ctx.db.pool);
  app.addHook('onClose', async () => {
    await relay.stop();
    await orchestrator.stop();
    await executor.stopCachingRuntimeSetting();
  });
  await runRoutes(orchestrator, runtimeSettings)(app, ctx);
  await modelTestRoute(models)(app, ctx);
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The runtime of this server (runs, control, the event bus for realtime). */
    orchestrator: import('@llmctl/runtime').Orchestrator;
    /** The model gateway's row cache: emptied on `config:model:*` events from other processes. */
    modelRows: { invalidate(): void };
    /** The runtime settings as this process knows them (one cache for every consumer; the realtime layer feeds it). */
    runtimeSettings: RuntimeSettingsCache;
  }
}
