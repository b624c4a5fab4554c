import type pg from 'pg';
import type { ModelCallLog, ModelCallRecord } from '@llmctl/runtime';
import { kyselyOf } from './db/kysely.ts';

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * The runtime's model-call log on PostgreSQL (`model_calls`): one row per model call with its journal (request,
 * response, parsed output, usage, latency, cost), written in the one insert that records the call.
 */
export class PgModelCallLog implements ModelCallLog {
  /** Told of records stored with a node's commit instead of through `record` (the server sets it for metrics). */
  observe?: (call: ModelCallRecord) => void;

  constructor(private readonly pool: pg.Pool) {}

  async record(c: ModelCallRecord): Promise<void> {
    await kyselyOf(this.pool).insertInto('model_calls').values({
      id: c.id, run_id: c.run_id, node_run_id: c.node_run_id, node_id: c.node_id, model_name: c.model_name, provider: c.provider,
      attempt: c.attempt, kind: c.kind, response_index: c.response_index, status: c.status, error: json(c.error), usage: json(c.usage),
      started_at: c.started_at, finished_at: c.finished_at, idempotency_key: c.idempotency_key ?? null, step: c.step ?? null,
      repair_attempt: c.repair_attempt ?? null, request: json(c.request), response: json(c.response), parsed_output: json(c.parsed_output),
      latency_ms: c.latency_ms ?? null, cost: c.cost ?? null, replayed_from: c.replayed_from ?? null,
    }).execute();
  }

  async countScripted(modelName: string, runId: string, nodeId: string, responseIndex: number): Promise<number> {
    const row = await kyselyOf(this.pool).selectFrom('model_calls').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('model_name', '=', modelName).where('run_id', '=', runId).where('node_id', '=', nodeId).where('response_index', '=', responseIndex)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async journal(runId: string, nodeId: string, nodeRunKey: string): Promise<ModelCallRecord[]> {
    const rows = await kyselyOf(this.pool).selectFrom('model_calls').selectAll()
      .where('run_id', '=', runId).where('node_id', '=', nodeId).where('status', '=', 'succeeded')
      .where((eb) => eb.fn<boolean>('starts_with', ['idempotency_key', eb.val(`${nodeRunKey}:model:`)]))
      .orderBy('started_at').orderBy('id').execute();
    return rows as unknown as ModelCallRecord[];
  }

  /** Model calls of a run (traces). */
  async forRun(runId: string): Promise<ModelCallRecord[]> {
    const rows = await kyselyOf(this.pool).selectFrom('model_calls').selectAll().where('run_id', '=', runId).orderBy('started_at').execute();
    return rows as unknown as ModelCallRecord[];
  }
}
