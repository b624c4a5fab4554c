import type pg from 'pg';
import type { FlowchartSettings } from '@llmctl/contracts';
import type { NodeHandlers } from '@llmctl/runtime';
import { Orchestrator, decisionHandler, endHandler, startHandler, subflowHandler, taskHandler } from '@llmctl/runtime';
import { ModelRepository, PgModelCallLog, PgRunStore, newId } from '@llmctl/store';
import type { CredentialSource } from './model-gateway.ts';
import { RegistryModelGateway } from './model-gateway.ts';

export interface RuntimeOptions {
  pool: pg.Pool;
  defaults?: Required<FlowchartSettings>;
  credentials?: CredentialSource;
  leaseTtlMs?: number;
  /** Extra node handlers (special nodes, sub-flowcharts) keyed by node type. */
  handlers?: NodeHandlers;
  logError?: (msg: string, err: unknown) => void;
}

/** The composition root of the runtime: PostgreSQL adapters, providers and node handlers around one orchestrator. */
export function composeRuntime(o: RuntimeOptions): { orchestrator: Orchestrator; store: PgRunStore; calls: PgModelCallLog } {
  const store = new PgRunStore(o.pool);
  const calls = new PgModelCallLog(o.pool);
  const models = new RegistryModelGateway(new ModelRepository(o.pool), o.credentials);
  const taskDeps = { models, calls, newId };
  const orchestrator: Orchestrator = new Orchestrator({
    store,
    newId,
    ...(o.defaults ? { defaults: o.defaults } : {}),
    ...(o.leaseTtlMs ? { leaseTtlMs: o.leaseTtlMs } : {}),
    ...(o.logError ? { logError: o.logError } : {}),
    handlers: {
      start: startHandler,
      end: endHandler,
      decision: decisionHandler(taskDeps),
      task: taskHandler(taskDeps),
      flowchart: subflowHandler(() => orchestrator),
      ...o.handlers,
    },
  });
  return { orchestrator, store, calls };
}
