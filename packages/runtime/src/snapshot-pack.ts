/**
 * Snapshot format 3 packs node runs and tokens as arrays in a fixed field order: a long run's snapshot is mostly node
 * runs, and their key names were a third of its bytes (written at every snapshot, parsed at every takeover).
 */
import type { NodeRunState, Token } from '@llmctl/engine';
import { compactToken, type OutputRef, type StoredToken } from './output-refs.ts';

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

/** Packs a node run; `byRef`: its output is left out (the event at its `done_seq` holds it). */
export function packNodeRun(nr: NodeRunState, sources: Readonly<Record<string, NodeRunState>>, byRef: boolean): PackedNodeRun {
  const undef: number[] = [];
  const absent: number[] = [];
  const out: unknown[] = FIELDS.map((f, i) => {
    if (!(f in nr)) absent.push(i);
    else if (nr[f] === undefined) undef.push(i);
    return nr[f] ?? null;
  });
  out[TOKENS] = nr.tokens.map((t) => packToken(compactToken(t, sources)));
  if (byRef) out[OUTPUT] = null;
  out.push(byRef ? 1 : 0);
  if (undef.length > 0 || absent.length > 0) out.push(undef, absent);
  return out;
}

/** The node run of a packed one, its output put back from `outputs` (by event sequence); tokens still packed. */
export function unpackNodeRun(p: PackedNodeRun, outputs: Record<string, unknown>): NodeRunState & { tokens: unknown[] } {
  const undef = new Set((p[FIELDS.length + 1] as number[] | undefined) ?? []);
  const absent = new Set((p[FIELDS.length + 2] as number[] | undefined) ?? []);
  const nr: Record<string, unknown> = {};
  FIELDS.forEach((f, i) => {
    if (!absent.has(i)) nr[f] = undef.has(i) ? undefined : p[i];
  });
  if (p[FIELDS.length] === 1) nr.output = outputs[String(p[DONE_SEQ])] ?? null;
  return nr as unknown as NodeRunState & { tokens: unknown[] };
}

export type { Token };
