/**
 * Outputs written once (issue 17): a token carries its source node run's output (or, out of a decision, the output's
 * `value`). Stored, such a token keeps a reference instead of the value — `$ref: 'o'` (the source's output) or
 * `$ref: 'v'` (its `value`) — and readers put the value back from the source node run. Only a token whose output IS
 * that value (same object, as the engine creates it) is stored by reference, so expanding it gives exactly the value
 * it had; small scalars always stay inline.
 */
import { upstreamOf, type NodeRunState, type Token } from '@llmctl/engine';

export type { NodeRunState, Token };

/** Where a stored token's output comes from: its source node run's output (`o`) or that output's `value` (`v`). */
export type OutputRef = 'o' | 'v';

/** A token as stored: `output` left out when `$ref` says where it is. */
export type StoredToken = Omit<Token, 'output'> & { output?: unknown; $ref?: OutputRef };

/** Strings up to this length, numbers, booleans and null are always stored inline (a reference would not be smaller). */
const INLINE_STRING = 64;

function referable(v: unknown): boolean {
  return (typeof v === 'object' && v !== null) || (typeof v === 'string' && v.length > INLINE_STRING);
}

function valueOf(out: unknown): unknown {
  return out !== null && typeof out === 'object' && !Array.isArray(out) && 'value' in out ? (out as { value: unknown }).value : undefined;
}

/** The reference giving `output` from its source node run, or null when it must be stored inline. */
export function outputRefOf(output: unknown, source: Pick<NodeRunState, 'output'> | undefined): OutputRef | null {
  if (!source || !referable(output)) return null;
  if (output === source.output) return 'o';
  if (output === valueOf(source.output)) return 'v';
  return null;
}

/** The value a reference stands for, given the source node run's output. */
export function resolveOutputRef(ref: OutputRef, sourceOutput: unknown): unknown {
  return ref === 'o' ? sourceOutput : valueOf(sourceOutput);
}

/** A token as stored: by reference when `sources` holds its source node run with that very output. */
export function compactToken(t: Token, sources: Readonly<Record<string, Pick<NodeRunState, 'output'>>> | undefined): StoredToken {
  const ref = t.source_node_run_id && sources ? outputRefOf(t.output, sources[t.source_node_run_id]) : null;
  if (!ref) return t;
  return { connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, seq: t.seq, order: t.order, $ref: ref };
}

/** True when a stored token keeps its output by reference. */
export function isReferenced(t: StoredToken): t is StoredToken & { $ref: OutputRef; source_node_run_id: string } {
  return t.$ref !== undefined && t.source_node_run_id !== null;
}

/**
 * A stored token with its output put back (`outputOf` gives a source node run's output; undefined when unknown,
 * which leaves the output null). Fields in the engine's order, so the token serialises as it was created.
 */
export function expandToken(t: StoredToken, outputOf: (nodeRunId: string) => unknown): Token {
  if (!isReferenced(t)) return t as Token;
  const output = resolveOutputRef(t.$ref, outputOf(t.source_node_run_id)) ?? null;
  return { connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, output, seq: t.seq, order: t.order };
}

/** `upstream` of a node run's input snapshot from its tokens (the engine's {@link upstreamOf}: per source node, in token order). */
export function upstreamOfTokens(tokens: Token[]): Record<string, unknown> {
  return upstreamOf({ tokens } as NodeRunState);
}
