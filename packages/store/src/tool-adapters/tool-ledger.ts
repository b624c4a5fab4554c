import type pg from 'pg';
import { sql } from 'kysely';
import type { ToolCallFinish, ToolCallRecord, ToolCallStart, ToolLedger } from '@llmctl/tools';
import { kyselyOf } from '../db/kysely.ts';

const COLUMNS = ['idempotency_key', 'run_id', 'node_run_id', 'tool', 'input', 'result', 'status', 'attempts', 'correlation_id', 'request_id',
  'started_at', 'finished_at'] as const;

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
    const row = await kyselyOf(this.pool).selectFrom('tool_calls').select(COLUMNS).where('idempotency_key', '=', idempotency_key).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async start(e: ToolCallStart): Promise<ToolCallRecord> {
    const row = await kyselyOf(this.pool).insertInto('tool_calls')
      .values({
        idempotency_key: e.idempotency_key, run_id: e.run_id, node_run_id: e.node_run_id, tool: e.tool,
        input: sql<string>`${JSON.stringify(e.input ?? null)}::jsonb`, result: null, status: 'started', attempts: 0,
        correlation_id: e.correlation_id, request_id: e.request_id, started_at: sql<string>`clock_timestamp()`, finished_at: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doUpdateSet((eb) => ({
        run_id: eb.ref('excluded.run_id'), node_run_id: eb.ref('excluded.node_run_id'), tool: eb.ref('excluded.tool'),
        input: eb.ref('excluded.input'), result: null, status: 'started', attempts: 0, correlation_id: eb.ref('excluded.correlation_id'),
        request_id: eb.ref('excluded.request_id'), started_at: eb.ref('excluded.started_at'), finished_at: null,
      })).where('tool_calls.status', '<>', 'succeeded'))
      .returning(COLUMNS).executeTakeFirst();
    if (row) return toRecord(row);
    const existing = await this.get(e.idempotency_key);
    if (!existing) throw new Error(`tool call "${e.idempotency_key}" vanished while it was being opened`);
    return existing;
  }

  async finish(idempotency_key: string, outcome: ToolCallFinish): Promise<ToolCallRecord> {
    const row = await kyselyOf(this.pool).updateTable('tool_calls')
      .set({ status: outcome.status, result: sql<string>`${JSON.stringify(outcome.result)}::jsonb`, attempts: outcome.attempts, finished_at: sql<string>`clock_timestamp()` })
      .where('idempotency_key', '=', idempotency_key).returning(COLUMNS).executeTakeFirst();
    if (!row) throw new Error(`No tool call recorded under "${idempotency_key}"`);
    return toRecord(row);
  }
}
