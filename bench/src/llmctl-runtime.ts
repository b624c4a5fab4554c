/**
 * The llmctl runtime as `llmctl serve` composes it. `@llmctl/server` does not export its composition root
 * (apps/server/src/runtime/compose-runtime.ts) yet, so this file mirrors it with public exports only: the PostgreSQL
 * run store and model-call log, the registry model gateway, and the built-in node handlers. When the server package
 * exports `composeRuntime`, that one is used instead (see `composeBenchRuntime`).
 */
import type pg from 'pg';
import type { ModelGateway, ResolvedModel } from '@llmctl/runtime';
import { Orchestrator, decisionHandler, endHandler, startHandler, taskHandler } from '@llmctl/runtime';
import { createProvider, type ModelProvider, type ProviderKind } from '@llmctl/providers';
import { ModelRepository, PgModelCallLog, PgRunStore, newId } from '@llmctl/store';

/** The same caching as the server's RegistryModelGateway, without credentials (scripted models need none). */
class ScriptedRegistryGateway implements ModelGateway {
  private readonly cache = new Map<string, { stamp: string; provider: ModelProvider }>();
  constructor(private readonly models: ModelRepository) {}

  async resolve(name: string): Promise<ResolvedModel | null> {
    const m = await this.models.findByName(name);
    if (!m) return null;
    let entry = this.cache.get(m.id);
    if (!entry || entry.stamp !== m.updated_at) {
      const provider = createProvider({
        provider: m.provider as ProviderKind, base_url: m.base_url, api_key: null, settings: m.settings ?? {}, project: null, location: null,
      });
      entry = { stamp: m.updated_at, provider };
      this.cache.set(m.id, entry);
    }
    const provider = entry.provider;
    return { name: m.name, provider: m.provider, model: m.model, chat: (req, opts) => provider.chat(req, opts) };
  }
}

type ComposeFn = (o: { pool: pg.Pool; logError?: (msg: string, err: unknown) => void }) => { orchestrator: Orchestrator };

function localCompose(o: { pool: pg.Pool; logError?: (msg: string, err: unknown) => void }): { orchestrator: Orchestrator } {
  const store = new PgRunStore(o.pool);
  const calls = new PgModelCallLog(o.pool);
  const taskDeps = { models: new ScriptedRegistryGateway(new ModelRepository(o.pool)), calls, newId };
  const orchestrator = new Orchestrator({
    store, newId, ...(o.logError ? { logError: o.logError } : {}),
    handlers: { start: startHandler, end: endHandler, decision: decisionHandler(taskDeps), task: taskHandler(taskDeps) },
  });
  return { orchestrator };
}

/**
 * Builds the orchestrator on `pool`: the server's exported `composeRuntime` when there is one, else the mirror above.
 * `source` says which.
 */
export async function composeBenchRuntime(o: { pool: pg.Pool; logError?: (msg: string, err: unknown) => void }): Promise<{ orchestrator: Orchestrator; source: 'server' | 'bench-mirror' }> {
  const server = (await import('@llmctl/server')) as unknown as Record<string, unknown>;
  const exported = server.composeRuntime as ComposeFn | undefined;
  if (typeof exported === 'function') return { orchestrator: exported(o).orchestrator, source: 'server' };
  return { orchestrator: localCompose(o).orchestrator, source: 'bench-mirror' };
}
