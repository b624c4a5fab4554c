/**
 * Snapshot format 3 packs node runs and tokens as arrays in a fixed field order: a long run's snapshot is mostly node
 * runs, and their key names were a third of its bytes (written at every snapshot, parsed at every takeover).
 */
import { isDeepStrictEqual } from 'node:util';
import type { NodeRunState, Token } from '@llmctl/engine';
import { compactToken, type OutputRef, type StoredToken } from './output-refs.ts';
import { compactContext, type ContextRef } from './context-refs.ts';

/**
 * Every field of a node run, in the order the engine creates them (so an unpacked node run serialises as a folded one).
 * Typed as a record over `keyof NodeRunState`: a field added to the engine's state fails to compile until listed here.
 */
const FIELD_SET: Record<keyof NodeRunState, true> = {
  id: true, node_id: true, node_type: true, iteration: true, tokens: true, retry_of: true, rewound_from: true, idempotency_key: true,
  status: true, queued_seq: true, created_order: true, started_seq: true, done_seq: true, context: true, output: true, routing: true,
  error: true, outcome: true, fallback_used: true, degraded_reason: true, warnings: true, attempts: true, usage: true, started_at: true,
  finished_at: true, child_run: true,
};
const FIELDS = Object.keys(FIELD_SET) as (keyof NodeRunState)[];
const TOKENS = FIELDS.indexOf('tokens');
const OUTPUT = FIELDS.indexOf('output');
const DONE_SEQ = FIELDS.indexOf('done_seq');
const ROUTING = FIELDS.indexOf('routing');
const KEY = FIELDS.indexOf('idempotency_key');
const CONTEXT = FIELDS.indexOf('context');

/** The key the engine gives a node run (`nodeRunKey`) without its `:rev:<n>` suffix. */
function baseKey(runId: string, nr: Pick<NodeRunState, 'node_id' | 'iteration'>): string {
  return `run:${runId}:node:${nr.node_id}:iter:${nr.iteration}`;
}

/**
 * A node run's key packed: 0 for the engine's key, n for that key at rewind n (`:rev:n`), else the key itself (a
 * number never is a key, so the forms cannot be confused).
 */
function packKey(runId: string, nr: NodeRunState): unknown {
  const base = baseKey(runId, nr);
  if (nr.idempotency_key === base) return 0;
  const m = nr.idempotency_key.startsWith(`${base}:rev:`) ? /^[1-9]\d{0,8}$/.exec(nr.idempotency_key.slice(base.length + 5)) : null;
  return m ? Number(m[0]) : nr.idempotency_key;
}

function unpackKey(runId: string, nr: Pick<NodeRunState, 'node_id' | 'iteration'>, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  return v === 0 ? baseKey(runId, nr) : `${baseKey(runId, nr)}:rev:${v}`;
}

/** True when `routing` is `output` without its `value` (a decision's output repeats its routing record). */
function routingInOutput(output: unknown, routing: unknown): boolean {
  if (output === null || typeof output !== 'object' || Array.isArray(output) || routing === null || typeof routing !== 'object' || Array.isArray(routing)) return false;
  const o = output as Record<string, unknown>;
  const r = routing as Record<string, unknown>;
  const keys = Object.keys(r);
  if (!('value' in o) || 'value' in r || Object.keys(o).length !== keys.length + 1) return false;
  return keys.every((k) => k in o && (o[k] === r[k] || isDeepStrictEqual(o[k], r[k])));
}

function routingOf(output: Record<string, unknown>): Record<string, unknown> {
  const { value: _v, ...routing } = output;
  return routing;
}

/**
 * A packed node run: its fields in {@link FIELDS} order (tokens packed; `undefined` and absent fields as null), then
 * 1 when its output is kept by reference (else 0), then — only when there are any — the indexes of the fields that
 * were `undefined` and of those the node run did not have (JSON has neither, and the fold keeps both apart).
 */
export type PackedNodeRun = unknown[];

/**
 * A packed token: connector, source node, source node run, seq, order, then `$ref`, or 0 and the inline output
 * (left off when the token has no `output` key; `{ u: 1 }` in 8th place when it is `undefined`).
 */
export type PackedToken = unknown[];

/** Packs a (compacted) token. */
export function packToken(t: StoredToken): PackedToken {
  const head = [t.connector_id, t.source_node_id, t.source_node_run_id, t.seq, t.order];
  if (t.$ref !== undefined) return [...head, t.$ref];
  if (!('output' in t)) return [...head, 0];
  return t.output === undefined ? [...head, 0, null, 1] : [...head, 0, t.output];
}

/** The stored token of a packed one (expand it with `expandToken`). */
export function unpackToken(p: PackedToken): StoredToken {
  const base = { connector_id: p[0] as string | null, source_node_id: p[1] as string | null, source_node_run_id: p[2] as string | null };
  const seq = p[3] as number;
  const order = p[4] as number;
  if (p[5] !== 0) return { ...base, seq, order, $ref: p[5] as OutputRef };
  if (p.length === 6) return { ...base, seq, order };
  return { ...base, output: p.length === 8 ? undefined : p[6], seq, order };
}

/**
 * Packs a node run of run `runId`; `byRef`: its output is left out (the event at its `done_seq` holds it). Its key is
 * packed when it is the engine's, and its routing (as 0) when its output repeats it. A context with values kept by
 * reference (context-refs.ts) is packed as `[context, refs]` (an array: a context is an object or null, so the forms
 * cannot be confused; {@link unpackedContext} reads both).
 */
export function packNodeRun(runId: string, nr: NodeRunState, sources: Readonly<Record<string, NodeRunState>>, byRef: boolean): PackedNodeRun {
  const undef: number[] = [];
  const absent: number[] = [];
  const out: unknown[] = FIELDS.map((f, i) => {
    if (!(f in nr)) absent.push(i);
    else if (nr[f] === undefined) undef.push(i);
    return nr[f] ?? null;
  });
  out[TOKENS] = nr.tokens.map((t) => packToken(compactToken(t, sources)));
  if (!undef.includes(KEY) && !absent.includes(KEY)) out[KEY] = packKey(runId, nr);
  if (routingInOutput(nr.output, nr.routing)) out[ROUTING] = 0;
  if (nr.context) {
    const ctx = compactContext(nr.context, sources);
    if (ctx.refs) out[CONTEXT] = [ctx.context, ctx.refs];
  }
  if (byRef) out[OUTPUT] = null;
  out.push(byRef ? 1 : 0);
  if (undef.length > 0 || absent.length > 0) out.push(undef, absent);
  return out;
}

/** What a node run's packed text was made from: its fields as they were (a shallow copy), and what changes in place. */
interface Signature {
  fields: NodeRunState;
  attempts: number;
  lastFinished: string | null | undefined;
  lastError: unknown;
}

/**
 * Every field compared by name (named property loads: `nr[FIELDS[i]]` in a loop was most of a snapshot's cost for
 * node runs that did not change); that it compares each field of {@link FIELDS} is checked when this module loads.
 */
function sameFields(a: NodeRunState, b: NodeRunState): boolean {
  return a.id === b.id && a.node_id === b.node_id && a.node_type === b.node_type && a.iteration === b.iteration && a.tokens === b.tokens
    && a.retry_of === b.retry_of && a.rewound_from === b.rewound_from && a.idempotency_key === b.idempotency_key && a.status === b.status
    && a.queued_seq === b.queued_seq && a.created_order === b.created_order && a.started_seq === b.started_seq && a.done_seq === b.done_seq
    && a.context === b.context && a.output === b.output && a.routing === b.routing && a.error === b.error && a.outcome === b.outcome
    && a.fallback_used === b.fallback_used && a.degraded_reason === b.degraded_reason && a.warnings === b.warnings && a.attempts === b.attempts
    && a.usage === b.usage && a.started_at === b.started_at && a.finished_at === b.finished_at && a.child_run === b.child_run
    && ('child_run' in a) === ('child_run' in b);
}

for (const f of FIELDS) {
  const probe = Object.fromEntries(FIELDS.map((k) => [k, k])) as unknown as NodeRunState;
  if (!sameFields(probe, { ...probe }) || sameFields(probe, Object.assign({ ...probe }, { [f]: `${f}'` }))) {
    throw new Error(`snapshot-pack: sameFields does not compare the node-run field ${f}`);
  }
}

function sameAsPacked(nr: NodeRunState, sig: Signature): boolean {
  const last = nr.attempts[nr.attempts.length - 1];
  return sameFields(nr, sig.fields) && sig.attempts === nr.attempts.length && sig.lastFinished === last?.finished_at && sig.lastError === last?.error;
}

function signatureOf(nr: NodeRunState): Signature {
  const last = nr.attempts[nr.attempts.length - 1];
  return { fields: { ...nr }, attempts: nr.attempts.length, lastFinished: last?.finished_at, lastError: last?.error };
}

/** A node run packed as JSON text; `ref`: the sequence of the event holding its output when that is left out, else null. */
export interface PackedNodeRunText {
  json: string;
  ref: number | null;
}

const packedTexts = new WeakMap<NodeRunState, PackedNodeRunText & { sig: Signature }>();

/**
 * `JSON.stringify(packNodeRun(…))`, kept per node run object until one of its fields changes: a long run's snapshot
 * re-packs only the node runs that changed since the previous one (a finished node run is packed once). The engine
 * replaces a field's value when it changes it, except the last attempt (closed in place) and the attempts list
 * (appended to), whose length and last entry are compared too. The tokens' references depend only on their source
 * node runs' outputs, which never change once logged. A finished node run's output is left out when `isLarge` says so
 * (decided once per packing: it depends only on the output).
 */
export function packedNodeRunJson(runId: string, nr: NodeRunState, sources: Readonly<Record<string, NodeRunState>>, isLarge: (output: unknown) => boolean): PackedNodeRunText {
  const hit = packedTexts.get(nr);
  if (hit && sameAsPacked(nr, hit.sig)) return hit;
  const byRef = nr.done_seq !== null && isLarge(nr.output);
  const entry = { json: JSON.stringify(packNodeRun(runId, nr, sources, byRef)), ref: byRef ? nr.done_seq : null, sig: signatureOf(nr) };
  packedTexts.set(nr, entry);
  return entry;
}

/** A packed context: the context (an object or null), or `[context, refs]` when values are kept by reference. */
export function unpackedContext(packed: unknown): { context: Record<string, unknown> | null; refs: Record<string, ContextRef> | null } {
  if (Array.isArray(packed)) return { context: packed[0] as Record<string, unknown>, refs: packed[1] as Record<string, ContextRef> };
  return { context: packed as Record<string, unknown> | null, refs: null };
}

/**
 * The node run of a packed one of run `runId`, its output put back from `outputs` (by event sequence); tokens and a
 * context with references still packed ({@link unpackedContext}).
 */
export function unpackNodeRun(runId: string, p: PackedNodeRun, outputs: Record<string, unknown>): NodeRunState & { tokens: unknown[] } {
  const undef = new Set((p[FIELDS.length + 1] as number[] | undefined) ?? []);
  const absent = new Set((p[FIELDS.length + 2] as number[] | undefined) ?? []);
  const nr: Record<string, unknown> = {};
  FIELDS.forEach((f, i) => {
    if (!absent.has(i)) nr[f] = undef.has(i) ? undefined : p[i];
  });
  if (p[FIELDS.length] === 1) nr.output = outputs[String(p[DONE_SEQ])] ?? null;
  if ('idempotency_key' in nr) nr.idempotency_key = unpackKey(runId, nr as unknown as NodeRunState, nr.idempotency_key);
  if (p[ROUTING] === 0) nr.routing = routingOf(nr.output as Record<string, unknown>);
  return nr as unknown as NodeRunState & { tokens: unknown[] };
}

export type { Token };
