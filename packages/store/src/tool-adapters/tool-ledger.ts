import type pg from 'pg';
import type { ToolCallFinish, ToolCallRecord, ToolCallStart, ToolLedger } from '@llmctl/tools';

const COLUMNS = `idempotency_key, run_id, node_run_id, tool, input, result, status, attempts, correlation_id, request_id,
  started_at, finished_at`;

function toRecord(row: Record<string, unknown>): ToolCallRecord {
  return {
    idempotency_key: row.idempotency_key as string,
    run_id: row.run_id as string,
    node_run_id: row.node_run_id as string,
    tool: row.tool as string,
    input: row.input ?? null,
    result: (row.result as ToolCallRecord['result']) ?? null,
    status: row.status as ToolCallRecord['status'],
    attempts: row.attempts as number,
    correlation_id: (row.correlation_id as string | null) ?? null,
    request_id: (row.request_id as string | null) ?? null,
    started_at: row.started_at as string,
    finished_at: (row.finished_at as string | null) ?? null,
  };
}

/**
 * The tool-call ledger on table `tool_calls`. `start` is one guarded upsert: a `succeeded` entry is never reopened
 * (its recorded result is replayed by `invokeTool`); failed and interrupted entries are reset to `started`.
 */
export class PgToolLedger implements ToolLedger {
  constructor(private readonly pool: pg.Pool) {}

  async get(idempotency_key: string): Promise<ToolCallRecord | null> {
    const r = await this.pool.query(`SELECT ${COLUMNS} FROM tool_calls WHERE idempotency_key = $1`, [idempotency_key]);
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }

  async start(e: ToolCallStart): Promise<ToolCallRecord> {
    const r = await this.pool.query(
      `INSERT INTO tool_calls (idempotency_key, run_id, node_run_id, tool, input, result, status, attempts, correlation_id, request_id, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, NULL, 'started', 0, $6, $7, clock_timestamp(), NULL)
       ON CONFLICT (idempotency_key) DO UPDATE SET run_id = EXCLUDED.run_id, node_run_id = EXCLUDED.node_run_id, tool = EXCLUDED.tool,
         input = EXCLUDED.input, result = NULL, status = 'started', attempts = 0, correlation_id = EXCLUDED.correlation_id,
         request_id = EXCLUDED.request_id, started_at = EXCLUDED.started_at, finished_at = NULL
       WHERE tool_calls.status <> 'succeeded'
       RETURNING ${COLUMNS}`,
      [e.idempotency_key, e.run_id, e.node_run_id, e.tool, JSON.stringify(e.input ?? null), e.correlation_id, e.request_id],
    );
    if (r.rows[0]) return toRecord(r.rows[0]);
    const existing = await this.get(e.idempotency_key);
    if (!existing) throw new Error(`tool call "${e.idempotency_key}" vanished while it was being opened`);
    return existing;
  }

  async finish(idempotency_key: string, outcome: ToolCallFinish): Promise<ToolCallRecord> {
    const r = await this.pool.query(
      `UPDATE tool_calls SET status = $2, result = $3::jsonb, attempts = $4, finished_at = clock_timestamp()
       WHERE idempotency_key = $1 RETURNING ${COLUMNS}`,
      [idempotency_key, outcome.status, JSON.stringify(outcome.result), outcome.attempts],
    );
    if (!r.rows[0]) throw new Error(`No tool call recorded under "${idempotency_key}"`);
    return toRecord(r.rows[0]);
  }
}
