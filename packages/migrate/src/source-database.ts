/**
 * `--from-database URL`: reads llmctl's own PostgreSQL tables (`flowcharts`, `flowchart_nodes` with `config_json`,
 * `flowchart_edges`, the node binding tables; see llmctl `core/models/flowchart.py` and `associations.py`) in one
 * REPEATABLE READ READ ONLY transaction, one flowchart at a time. A database without those tables is
 * `legacy_database_invalid`; a connection failure is `legacy_source_unavailable`.
 */
import pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';
import { checkGraph } from './parse-input.ts';
import type { InputItem } from './parse-input.ts';

const REQUIRED: Record<string, string[]> = {
  flowcharts: ['id', 'name', 'description', 'max_node_executions', 'max_runtime_minutes', 'max_parallel_nodes'],
  flowchart_nodes: ['id', 'flowchart_id', 'node_type', 'ref_id', 'title', 'x', 'y', 'config_json', 'model_id'],
  flowchart_edges: ['id', 'flowchart_id', 'source_node_id', 'target_node_id', 'source_handle_id', 'target_handle_id', 'edge_mode', 'condition_key', 'label'],
};
const BINDINGS: [string, string, string][] = [
  ['mcp_server_ids', 'flowchart_node_mcp_servers', 'mcp_server_id'],
  ['script_ids', 'flowchart_node_scripts', 'script_id'],
  ['skill_ids', 'flowchart_node_skills', 'skill_id'],
  ['attachment_ids', 'flowchart_node_attachments', 'attachment_id'],
];

function redact(url: string): string {
  try { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); } catch { return '(unparseable URL)'; }
}

async function checkSchema(c: pg.ClientBase, url: string): Promise<Set<string>> {
  const r = await c.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [[...Object.keys(REQUIRED), ...BINDINGS.map((b) => b[1])]]);
  const cols = new Map<string, Set<string>>();
  for (const row of r.rows) cols.set(row.table_name, (cols.get(row.table_name) ?? new Set()).add(row.column_name));
  const missing = Object.entries(REQUIRED).flatMap(([t, cs]) => cs.filter((col) => !cols.get(t)?.has(col)).map((col) => `${t}.${col}`));
  if (missing.length > 0) {
    throw new LlmctlError('legacy_database_invalid', `${redact(url)} is not an llmctl database: missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}.`, { missing });
  }
  return new Set(BINDINGS.filter(([, t, col]) => cols.get(t)?.has(col) && cols.get(t)?.has('flowchart_node_id')).map(([, t]) => t));
}

/** Yields every flowchart of an llmctl database (ascending id), all read from one snapshot. */
export async function* readLegacyDatabase(url: string): AsyncGenerator<InputItem> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new LlmctlError('legacy_source_unavailable', `Cannot connect to ${redact(url)}: ${(e as Error).message}`, { url: redact(url) });
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const bindingTables = await checkSchema(client, url);
    const ids = (await client.query<{ id: number }>('SELECT id FROM flowcharts ORDER BY id')).rows.map((r) => Number(r.id));
    let index = 0;
    for (const id of ids) {
      const f = (await client.query('SELECT id, name, description, max_node_executions, max_runtime_minutes, max_parallel_nodes FROM flowcharts WHERE id = $1', [id])).rows[0] as Record<string, unknown>;
      const nodes = (await client.query('SELECT id, node_type, ref_id, title, x, y, config_json, model_id FROM flowchart_nodes WHERE flowchart_id = $1 ORDER BY id', [id])).rows as Record<string, unknown>[];
      const byNode = new Map<number, Record<string, number[]>>();
      for (const [field, table, col] of BINDINGS) {
        if (!bindingTables.has(table)) continue;
        const rows = (await client.query(`SELECT b.flowchart_node_id AS node_id, b.${col} AS ref FROM ${table} b JOIN flowchart_nodes n ON n.id = b.flowchart_node_id WHERE n.flowchart_id = $1 ORDER BY 1, 2`, [id])).rows as { node_id: number; ref: number }[];
        for (const r of rows) {
          const entry = byNode.get(Number(r.node_id)) ?? {};
          (entry[field] ??= []).push(Number(r.ref));
          byNode.set(Number(r.node_id), entry);
        }
      }
      const edges = (await client.query('SELECT id, source_node_id, target_node_id, source_handle_id, target_handle_id, edge_mode, condition_key, label FROM flowchart_edges WHERE flowchart_id = $1 ORDER BY id', [id])).rows;
      const graph = {
        flowchart: { ...f, id },
        nodes: nodes.map((n) => ({
          id: Number(n.id), node_type: String(n.node_type ?? ''), ref_id: n.ref_id ?? null, title: n.title ?? null, x: Number(n.x ?? 0), y: Number(n.y ?? 0),
          config: typeof n.config_json === 'string' ? n.config_json : null, model_id: n.model_id ?? null,
          mcp_server_ids: [], script_ids: [], skill_ids: [], attachment_ids: [], ...byNode.get(Number(n.id)),
        })),
        edges,
      };
      yield { index: index++, kind: 'llmctl_database', graph: checkGraph(graph, `flowcharts[id=${id}]`) };
    }
    await client.query('COMMIT');
  } finally {
    await client.end().catch(() => undefined);
  }
}
