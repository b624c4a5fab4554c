import type pg from 'pg';
import type { AuditSink, ToolAuditRecord } from '@llmctl/tools';

/** The append-only tool audit log on table `tool_audit` (one row per invocation, ordered by its serial id). */
export class PgAuditSink implements AuditSink {
  constructor(private readonly pool: pg.Pool) {}

  async write(record: ToolAuditRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO tool_audit (idempotency_key, tool, status, duration_ms, error, correlation_id, request_id, run_id, node_run_id, attempts, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11::timestamptz)`,
      [
        record.idempotency_key, record.tool, record.status, Math.round(record.duration_ms), record.error ? JSON.stringify(record.error) : null,
        record.correlation_id, record.request_id, record.run_id, record.node_run_id, record.attempts, record.created_at,
      ],
    );
  }

  async list(filter: { idempotency_key: string }): Promise<ToolAuditRecord[]> {
    const r = await this.pool.query(
      `SELECT tool, idempotency_key, correlation_id, request_id, run_id, node_run_id, status, attempts, duration_ms, error, created_at
       FROM tool_audit WHERE idempotency_key = $1 ORDER BY id`,
      [filter.idempotency_key],
    );
    return r.rows.map((row: Record<string, unknown>) => ({
      tool: row.tool as string,
      idempotency_key: row.idempotency_key as string,
      correlation_id: (row.correlation_id as string | null) ?? null,
      request_id: (row.request_id as string | null) ?? null,
      run_id: (row.run_id as string | null) ?? '',
      node_run_id: (row.node_run_id as string | null) ?? '',
      status: row.status as ToolAuditRecord['status'],
      attempts: row.attempts as number,
      duration_ms: (row.duration_ms as number | null) ?? 0,
      ...(row.error ? { error: row.error as NonNullable<ToolAuditRecord['error']> } : {}),
      created_at: row.created_at as string,
    }));
  }
}
