/**
 * Each node output is written once (issue 17): in the `node.succeeded` / `node.skipped` event that logged it. What
 * used to copy it refers to it instead, and is expanded on read so every reader sees the values it always saw:
 *
 * - `node_runs.output` / `routing` are NULL and `output_seq` names the event that holds them (rows written before,
 *   or by a commit without that event, keep them inline and `output_seq` NULL);
 * - tokens inside stored `node.queued` / `token.enqueued` payloads and inside `input_snapshot` keep a reference to
 *   their source node run (`$ref`, see the runtime's output-refs.ts) instead of its output;
 * - `input_snapshot` is stored as `{ v: 2, tokens, context? }`: `upstream` and the token outputs are derived on read;
 * - context values (context connectors) inside stored `node.started` payloads and input snapshots keep a reference to
 *   their source node run (`context_refs`, see the runtime's context-refs.ts) instead of its output;
 * - the start node's token keeps a reference (`$ref: 'i'`) to the event that set the run input (`run.started`, or
 *   `run.rewound` with an override; `iseq`) instead of a copy of the input.
 *
 * Rows and payloads written before any of these still read as they are.
 */
import type pg from 'pg';
import type { NodeRun } from '@llmctl/contracts';
import {
  compactContext, compactToken, contextRefIds, expandContext, expandToken, isReferenced, outputRefOf, upstreamOfTokens,
  type Commit, type ContextRef, type NodeRunState, type StoredToken, type Token,
} from '@llmctl/runtime';

/** What compaction reads of a commit: the node runs after it (token and context sources) and its events (run input). */
export type CompactionSources = Pick<Commit, 'sources' | 'events'>;

/** Marks an `input_snapshot` stored in the compact form. */
export const INPUT_SNAPSHOT_V2 = 2;

/** The start node's token as stored: its output (the run input) is the `input` of the event at sequence `iseq`. */
type StartTokenRef = Omit<Token, 'output'> & { $ref: 'i'; iseq: number };

/** A token as stored in a payload or an input snapshot. */
type StoredAnyToken = StoredToken | StartTokenRef;

interface StoredInputSnapshot {
  v: typeof INPUT_SNAPSHOT_V2;
  tokens: StoredAnyToken[];
  context?: Record<string, unknown>;
  /** Context values kept by reference (context-refs.ts). */
  context_refs?: Record<string, ContextRef>;
  /** The sequence of the event whose `input` the start token refers to (read into `input` by {@link INPUT_SNAPSHOT_SQL}). */
  iseq?: number;
  /** Put in on read: the `input` of the event at `iseq`. */
  input?: unknown;
}

function isStartRef(t: StoredAnyToken): t is StartTokenRef {
  return (t as { $ref?: string }).$ref === 'i';
}

/** The sequence of the event of the commit that set the run input to `value` (`run.started`, `run.rewound` with an override). */
function inputEvent(c: CompactionSources, value: unknown): number | null {
  for (const e of c.events) {
    const p = e.payload as { kind: string; input?: unknown };
    if ((p.kind === 'run.started' || p.kind === 'run.rewound') && outputRefOf(value, { output: p.input }) === 'o') return e.sequence;
  }
  return null;
}

/**
 * A token as stored: by reference to its source node run's output (output-refs.ts); the start node's token (no
 * source node run) by reference to the run input, when the event that set it is in the same commit and the token's
 * output IS that input (the run row and that event already hold it).
 */
function compactAnyToken(t: Token, c: CompactionSources): StoredAnyToken {
  if (t.source_node_run_id !== null) return compactToken(t, c.sources);
  const iseq = t.source_node_id === null && t.connector_id === null ? inputEvent(c, t.output) : null;
  if (iseq === null) return t;
  return { connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, seq: t.seq, order: t.order, $ref: 'i', iseq };
}

/** An event payload as stored: its tokens and its context values by reference where they carry a logged output. */
export function compactEventPayload<P extends object>(payload: P, c: CompactionSources): P {
  const p = payload as { kind?: string; node_run?: { tokens?: Token[] }; token?: Token; context?: Record<string, unknown> };
  if (p.kind === 'node.queued' && p.node_run?.tokens?.length) {
    return { ...payload, node_run: { ...p.node_run, tokens: p.node_run.tokens.map((t) => compactAnyToken(t, c)) } };
  }
  if (p.kind === 'token.enqueued' && p.token && c.sources) return { ...payload, token: compactToken(p.token, c.sources) };
  if (p.kind === 'node.started' && p.context) {
    const stored = compactContext(p.context, c.sources);
    if (stored.refs) return { ...payload, context: stored.context, context_refs: stored.refs };
  }
  return payload;
}

/** The stored form of a node run's input snapshot: its tokens and its context values (by reference where possible). */
export function compactInputSnapshot(n: NodeRunState, c: CompactionSources): StoredInputSnapshot {
  const tokens = n.tokens.map((t) => compactAnyToken(t, c));
  const start = tokens.find(isStartRef);
  const stored: StoredInputSnapshot = { v: INPUT_SNAPSHOT_V2, tokens };
  if (n.context) {
    const ctx = compactContext(n.context, c.sources);
    stored.context = ctx.context;
    if (ctx.refs) stored.context_refs = ctx.refs;
  }
  if (start) stored.iseq = start.iseq;
  return stored;
}

/** A stored token with its output put back (`input`: the run input a start token refers to). */
function expandAnyToken(t: StoredAnyToken, outputOf: (nodeRunId: string) => unknown, input: (seq: number) => unknown): Token {
  if (!isStartRef(t)) return expandToken(t, outputOf);
  return { connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, output: input(t.iseq) ?? null, seq: t.seq, order: t.order };
}

/**
 * The API's `input_snapshot` of a stored one (`tokens`, `upstream` derived from them, `context`), read with
 * {@link INPUT_SNAPSHOT_SQL}; older rows as stored.
 */
export function expandInputSnapshot(stored: unknown, outputOf: (nodeRunId: string) => unknown): NodeRun['input_snapshot'] {
  const s = stored as Partial<StoredInputSnapshot> | null;
  if (!s || s.v !== INPUT_SNAPSHOT_V2) return stored as NodeRun['input_snapshot'];
  const tokens = (s.tokens ?? []).map((t) => expandAnyToken(t, outputOf, () => s.input));
  return {
    tokens: tokens.map((t) => ({ connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, output: t.output })),
    upstream: upstreamOfTokens(tokens),
    ...(s.context ? { context: expandContext(s.context, s.context_refs, outputOf) } : {}),
  };
}

/**
 * A node run's stored input snapshot (`node_runs n`) with the run input its start token refers to put in as `input`
 * (the event at `iseq`, by primary key; only for a snapshot that has one).
 */
export const INPUT_SNAPSHOT_SQL = `CASE WHEN n.input_snapshot ? 'iseq' THEN jsonb_set(n.input_snapshot, '{input}', COALESCE((SELECT ie.payload->'input'
  FROM run_events ie WHERE ie.run_id = n.run_id AND ie.sequence = (n.input_snapshot->>'iseq')::bigint), 'null'::jsonb)) ELSE n.input_snapshot END AS input_snapshot`;

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

type StoredPayload = { kind?: string; node_run?: { tokens?: StoredAnyToken[] }; token?: StoredAnyToken; context?: Record<string, unknown>; context_refs?: Record<string, ContextRef> };

function tokensOf(p: StoredPayload): StoredAnyToken[] {
  if (p.kind === 'node.queued') return p.node_run?.tokens ?? [];
  if (p.kind === 'token.enqueued' && p.token) return [p.token];
  return [];
}

/** Run inputs set by events of run `runId`, by sequence (one query). */
async function inputsAt(pool: pg.Pool, runId: string, seqs: number[]): Promise<Map<number, unknown>> {
  if (seqs.length === 0) return new Map();
  const r = await pool.query<{ sequence: string | number; input: unknown }>(
    `SELECT sequence, payload->'input' AS input FROM run_events WHERE run_id = $1 AND sequence = ANY($2::bigint[])`, [runId, seqs]);
  return new Map(r.rows.map((x) => [Number(x.sequence), x.input]));
}

/**
 * Puts the referenced token outputs, context values and run inputs back into logged event payloads (in place), so
 * every reader gets the events as the engine emitted them. Sources logged in the same page are resolved from it; the
 * others with one query (per kind of source).
 */
export async function expandEvents(pool: pg.Pool, runId: string, rows: { sequence?: number | string; payload: unknown }[]): Promise<void> {
  const known = new Map<string, unknown>();
  const inputs = new Map<number, unknown>();
  const refs = new Set<string>();
  const inputRefs = new Set<number>();
  for (const row of rows) {
    const p = row.payload as StoredPayload & { node_run_id?: string; output?: unknown; input?: unknown };
    if ((p.kind === 'node.succeeded' || p.kind === 'node.skipped') && p.node_run_id) known.set(p.node_run_id, p.output);
    else if ((p.kind === 'run.started' || p.kind === 'run.rewound') && 'input' in p && row.sequence !== undefined) inputs.set(Number(row.sequence), p.input);
    else if (p.kind === 'node.started') for (const id of contextRefIds(p.context_refs)) refs.add(id);
    for (const t of tokensOf(p)) {
      if (isStartRef(t)) inputRefs.add(t.iseq);
      else if (isReferenced(t)) refs.add(t.source_node_run_id);
    }
  }
  if (refs.size === 0 && inputRefs.size === 0) return;
  const [outputs, logged] = await Promise.all([
    nodeOutputs(pool, runId, [...refs].filter((id) => !known.has(id))),
    inputsAt(pool, runId, [...inputRefs].filter((seq) => !inputs.has(seq))),
  ]);
  for (const [id, out] of outputs) known.set(id, out);
  for (const [seq, input] of logged) inputs.set(seq, input);
  const outputOf = (id: string): unknown => known.get(id);
  const inputOf = (seq: number): unknown => inputs.get(seq);
  for (const row of rows) {
    const p = row.payload as StoredPayload;
    if (p.kind === 'node.queued' && p.node_run?.tokens) p.node_run.tokens = p.node_run.tokens.map((t) => expandAnyToken(t, outputOf, inputOf));
    else if (p.kind === 'token.enqueued' && p.token) p.token = expandAnyToken(p.token, outputOf, inputOf);
    else if (p.kind === 'node.started' && p.context_refs) {
      if (p.context) p.context = expandContext(p.context, p.context_refs, outputOf);
      delete p.context_refs;
    }
  }
}
