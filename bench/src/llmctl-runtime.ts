/** The llmctl runtime exactly as `llmctl serve` composes it (@llmctl/server's composition root). */
import type pg from 'pg';
import type { Orchestrator } from '@llmctl/runtime';
import { composeRuntime } from '@llmctl/server';

/** Builds the orchestrator on `pool`; `source` names the composition (kept in the report). */
export async function composeBenchRuntime(o: { pool: pg.Pool; logError?: (msg: string, err: unknown) => void }): Promise<{ orchestrator: Orchestrator; source: 'server' }> {
  return { orchestrator: composeRuntime(o).orchestrator, source: 'server' };
}
