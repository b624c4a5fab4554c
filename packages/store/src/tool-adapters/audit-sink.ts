import type pg from 'pg';
import { sql } from 'kysely';
import type { AuditSink, ToolAuditRecord } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';

/** The append-only tool audit log on table `tool_audit` (one row per invocation, ordered by its serial id). */
export class PgAuditSink implements AuditSink {
  constructor(private readonly pool: pg.Pool) {}

  async write(record: ToolAuditRecord): Promise<void> {
    await kyselyOf(this.pool).insertInto('tool_audit').values({
      idempotency_key: record.idempotency_key, tool: record.tool, status: record.status, duration_ms: Math.round(record.duration_ms),
      error: sql<string | null>`${record.error ? JSON.stringify(record.error) : null}::jsonb`, correlation_id: record.correlation_id,
      request_id: record.request_id, run_id: record.run_id, node_run_id: record.node_run_id, attempts: record.attempts,
      created_at: sql<string>`${record.created_at}::timestamptz`,
    }).execute();
  }

  async list(filter: { idempotency_key: string }): Promise<ToolAuditRecord[]> {
    const rows = await kyselyOf(this.pool).selectFrom('tool_audit')
      .select(['tool', 'idempotency_key', 'correlation_id', 'request_id', 'run_id', 'node_run_id', 'status', 'attempts', 'duration_ms', 'error', 'created_at'])
      .where('idempotency_key', '=', filter.idempotency_key).orderBy('id').execute();
    return rows.map((row) => ({
      tool: row.tool as string,
      idempotency_key: row.idempotency_key as string,
      correlation_id: (row.correlation_id as string | null) ?? null,
      request_id: (row.request_id as string | null) ?? null,
      run_id: (row.run_id as string | null) ?? '',
      node_run_id: (row.node_run_id as string | null) ?? '',
      status: row.status as ToolAuditRecord['status'],
      attempts: row.attempts as number,
      duration_ms: (row.duration_ms as number | null) ?? 0,
      ...(row.error ? { error: row.error as unknown as NonNullable<ToolAuditRecord['error']> } : {}),
      created_at: row.created_at as string,
    }));
  }
}
