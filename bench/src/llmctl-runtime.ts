/** The llmctl runtime exactly as `llmctl serve` composes it (@llmctl/server's composition root). */
import type pg from 'pg';
import type { Orchestrator } from '@llmctl/runtime';
import type { PgRunStore } from '@llmctl/store';
import { composeRuntime } from '@llmctl/server';

/**
 * Builds the orchestrator on `pool`; `source` names the composition (kept in the report). Model rows are cached per
 * name as `llmctl serve` does (runtime-routes.ts); the server empties that cache on `config:model:*` events, and the
 * benchmark never changes a model while it runs, so nothing needs invalidating here. The runtime setting `executor` is
 * cached as `llmctl serve` does too (its LISTEN connection is closed by `LlmctlDriver.close`).
 */
export async function composeBenchRuntime(o: { pool: pg.Pool; logError?: (msg: string, err: unknown) => void; snapshotEvery?: number }): Promise<{ orchestrator: Orchestrator; store: PgRunStore; source: 'server' }> {
  const runtime = composeRuntime(o);
  runtime.models.cacheModelRows();
  await runtime.executor.cacheRuntimeSetting();
  return { orchestrator: runtime.orchestrator, store: runtime.store, source: 'server' };
}
