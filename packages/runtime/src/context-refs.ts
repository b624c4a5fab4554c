/**
 * Context values written once (issue 17, session 4): a node run's `context` (`{ <source node id>: output }` of its
 * context connectors, taken from the source's latest succeeded or skipped node run when it starts) holds outputs that
 * were already logged by their own `node.succeeded` / `node.skipped` event. Stored — in the `node.started` payload, in
 * the input snapshot, in a snapshot of the state — each such value is a reference to that source node run instead of
 * a copy, exactly like a token's output (output-refs.ts), and readers put it back.
 *
 * Stored form: `context` keeps its keys (a referenced value is `null` there, so the keys stay in their order) and
 * `context_refs` says, per referenced key, where the value is: `{ source_node_run_id, $ref }`. A context without
 * `context_refs` (every one written before) is read as it is.
 */
import type { NodeRunState } from '@llmctl/engine';
import { outputRefOf, resolveOutputRef, type OutputRef } from './output-refs.ts';

/** Where a referenced context value is: its source node run's output (`o`) or that output's `value` (`v`). */
export interface ContextRef {
  source_node_run_id: string;
  $ref: OutputRef;
}

/** A context as stored: referenced values `null` in `context`, their references in `refs` (null when none). */
export interface StoredContext {
  context: Record<string, unknown>;
  refs: Record<string, ContextRef> | null;
}

const compacted = new WeakMap<object, StoredContext>();

type Sources = Readonly<Record<string, Pick<NodeRunState, 'node_id' | 'output'>>>;

/** Per sources object (a run's `node_runs`), the node run last found per source node: tried first next time. */
const lastFound = new WeakMap<Sources, Map<string, string>>();

/** The node run of node `nodeId` in `sources` whose output `value` is (by identity), with the reference to it. */
function sourceOf(nodeId: string, value: unknown, sources: Sources): ContextRef | null {
  if (!outputRefOf(value, { output: value })) return null; // a small scalar stays inline: no search
  let last = lastFound.get(sources);
  const hint = last?.get(nodeId);
  const cached = hint !== undefined ? sources[hint] : undefined;
  const hit = cached?.node_id === nodeId ? outputRefOf(value, cached) : null;
  if (hit) return { source_node_run_id: hint!, $ref: hit };
  for (const id in sources) {
    const nr = sources[id]!;
    if (nr.node_id !== nodeId) continue;
    const ref = outputRefOf(value, nr);
    if (!ref) continue;
    if (!last) lastFound.set(sources, (last = new Map()));
    last.set(nodeId, id);
    return { source_node_run_id: id, $ref: ref };
  }
  return null;
}

/**
 * A context as stored: each value that IS (same object) the output of a node run of its source node in `sources` is
 * kept by reference; small scalars and values found nowhere stay inline. Kept per context object (the `node.started`
 * event and the node run's input snapshot share it; a logged output never changes), so the node runs are searched
 * once per context, starting with the node run found last for the same source node (a fan-out's contexts usually
 * all refer to one).
 */
export function compactContext(context: Record<string, unknown>, sources: Sources | undefined): StoredContext {
  const hit = compacted.get(context);
  if (hit) return hit;
  let stored: StoredContext = { context, refs: null };
  const keys = Object.keys(context);
  // most nodes have no context connector: nothing to search or keep; without sources nothing is referenced (not kept)
  if (keys.length === 0 || !sources) return stored;
  for (const k of keys) {
    const ref = sourceOf(k, context[k], sources);
    if (!ref) continue;
    if (!stored.refs) stored = { context: { ...context }, refs: {} };
    stored.context[k] = null;
    stored.refs![k] = ref;
  }
  compacted.set(context, stored);
  return stored;
}

/** Source node run ids a stored context refers to. */
export function contextRefIds(refs: Readonly<Record<string, ContextRef>> | null | undefined): string[] {
  return refs ? Object.values(refs).map((r) => r.source_node_run_id) : [];
}

/**
 * A stored context with its referenced values put back (`outputOf`: a source node run's output; a source it does not
 * know leaves the value null). Keys stay in their stored order. Without `refs`, the context as it is.
 */
export function expandContext(context: Record<string, unknown>, refs: Readonly<Record<string, ContextRef>> | null | undefined,
  outputOf: (nodeRunId: string) => unknown): Record<string, unknown> {
  if (!refs) return context;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(context)) {
    const r = refs[k];
    out[k] = r ? resolveOutputRef(r.$ref, outputOf(r.source_node_run_id)) ?? null : context[k];
  }
  return out;
}
