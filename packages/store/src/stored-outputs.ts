/**
 * Each node output is written once (issue 17): in the `node.succeeded` / `node.skipped` event that logged it. What
 * used to copy it refers to it instead, and is expanded on read so every reader sees the values it always saw:
 *
 * - `node_runs.output` / `routing` are NULL and `output_seq` names the event that holds them (rows written before,
 *   or by a commit without that event, keep them inline and `output_seq` NULL);
 * - tokens inside stored `node.queued` / `token.enqueued` payloads and inside `input_snapshot` keep a reference to
 *   their source node run (`$ref`, see the runtime's output-refs.ts) instead of its output;
 * - `input_snapshot` is stored as `{ v: 2, tokens, context? }`: `upstream` and the token outputs are derived on read.
 */
import type pg from 'pg';
import type { NodeRun } from '@llmctl/contracts';
import { compactToken, expandToken, isReferenced, upstreamOfTokens, type NodeRunState, type StoredToken, type Token } from '@llmctl/runtime';

type Sources = Readonly<Record<string, NodeRunState>> | undefined;

/** Marks an `input_snapshot` stored in the compact form. */
export const INPUT_SNAPSHOT_V2 = 2;

interface StoredInputSnapshot {
  v: typeof INPUT_SNAPSHOT_V2;
  tokens: StoredToken[];
  context?: Record<string, unknown>;
}

/** An event payload as stored: its tokens by reference where they carry their source's output. */
export function compactEventPayload<P extends object>(payload: P, sources: Sources): P {
  if (!sources) return payload;
  const p = payload as { kind?: string; node_run?: { tokens?: Token[] }; token?: Token };
  if (p.kind === 'node.queued' && p.node_run?.tokens?.length) {
    return { ...payload, node_run: { ...p.node_run, tokens: p.node_run.tokens.map((t) => compactToken(t, sources)) } };
  }
  if (p.kind === 'token.enqueued' && p.token) return { ...payload, token: compactToken(p.token, sources) };
  return payload;
}

/** The stored form of a node run's input snapshot: its tokens (by reference where possible) and its context. */
export function compactInputSnapshot(n: NodeRunState, sources: Sources): StoredInputSnapshot {
  return { v: INPUT_SNAPSHOT_V2, tokens: n.tokens.map((t) => compactToken(t, sources ?? {})), ...(n.context ? { context: n.context } : {}) };
}

/** The API's `input_snapshot` of a stored one (`tokens`, `upstream` derived from them, `context`); older rows as stored. */
export function expandInputSnapshot(stored: unknown, outputOf: (nodeRunId: string) => unknown): NodeRun['input_snapshot'] {
  const s = stored as Partial<StoredInputSnapshot> | null;
  if (!s || s.v !== INPUT_SNAPSHOT_V2) return stored as NodeRun['input_snapshot'];
  const tokens = (s.tokens ?? []).map((t) => expandToken(t, outputOf));
  return {
    tokens: tokens.map((t) => ({ connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, output: t.output })),
    upstream: upstreamOfTokens(tokens),
    ...(s.context ? { context: s.context } : {}),
  };
}

/** A node run's output and routing, wherever they are stored (SQL expressions over `node_runs n`, `run_events e`). */
export const NODE_OUTPUT_SQL = `CASE WHEN n.output_seq IS NULL THEN n.output ELSE e.payload->'output' END AS output,
  CASE WHEN n.output_seq IS NULL THEN n.routing ELSE e.payload->'routing' END AS routing`;

/** The join that brings the event holding a node run's output (`output_seq`). */
export const NODE_OUTPUT_JOIN = `LEFT JOIN run_events e ON e.run_id = n.run_id AND e.sequence = n.output_seq`;

/** Outputs of node runs of one run, by id (one query). */
export async function nodeOutputs(pool: pg.Pool, runId: string, ids: string[]): Promise<Map<string, unknown>> {
  if (ids.length === 0) return new Map();
  const r = await pool.query<{ id: string; output: unknown }>(
    `SELECT n.id, ${NODE_OUTPUT_SQL} FROM node_runs n ${NODE_OUTPUT_JOIN} WHERE n.run_id = $1 AND n.id = ANY($2::text[])`, [runId, ids]);
  return new Map(r.rows.map((x) => [x.id, x.output]));
}

function tokensOf(p: { kind?: string; node_run?: { tokens?: StoredToken[] }; token?: StoredToken }): StoredToken[] {
  if (p.kind === 'node.queued') return p.node_run?.tokens ?? [];
  if (p.kind === 'token.enqueued' && p.token) return [p.token];
  return [];
}

/**
 * Puts the referenced token outputs back into logged event payloads (in place), so every reader gets the events as
 * the engine emitted them. Sources logged in the same page are resolved from it; the others with one query.
 */
export async function expandEvents(pool: pg.Pool, runId: string, rows: { payload: unknown }[]): Promise<void> {
  const known = new Map<string, unknown>();
  const refs = new Set<string>();
  for (const row of rows) {
    const p = row.payload as { kind?: string; node_run_id?: string; output?: unknown };
    if ((p.kind === 'node.succeeded' || p.kind === 'node.skipped') && p.node_run_id) known.set(p.node_run_id, p.output);
    for (const t of tokensOf(p)) if (isReferenced(t)) refs.add(t.source_node_run_id);
  }
  if (refs.size === 0) return;
  const missing = [...refs].filter((id) => !known.has(id));
  for (const [id, out] of await nodeOutputs(pool, runId, missing)) known.set(id, out);
  const outputOf = (id: string): unknown => known.get(id);
  for (const row of rows) {
    const p = row.payload as { kind?: string; node_run?: { tokens?: StoredToken[] }; token?: StoredToken };
    if (p.kind === 'node.queued' && p.node_run?.tokens) p.node_run.tokens = p.node_run.tokens.map((t) => expandToken(t, outputOf));
    else if (p.kind === 'token.enqueued' && p.token) p.token = expandToken(p.token, outputOf);
  }
}
