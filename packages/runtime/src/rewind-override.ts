/**
 * Rewind with an `input_override` (runtime.md "Run control"): the override replaces the outputs of the tokens the
 * rewound node run consumed (`upstream.<source>` in its templates; the run input when rewinding `start`). A task node
 * whose templates never read `upstream` would run exactly as before, so such a rewind is refused with a message that
 * says what the override can change, instead of being silently ignored.
 */
import type { CompiledGraph, NodeRunState } from '@llmctl/engine';
import { LlmctlError } from '@llmctl/contracts';

function strings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof v === 'string') out.push(v);
  else if (depth < 16 && v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out, depth + 1);
  return out;
}

/** True when one of the node's templates reads `upstream` (the consumed outputs). */
export function readsUpstream(config: unknown): boolean {
  return strings(config).some((s) => /\{\{[^}]*\bupstream\b/.test(s));
}

/**
 * Throws `input_override_not_read` when rewinding task node run `nr` with an override its templates never read.
 * Other node types pass their triggering output on (decisions, ends) or read it otherwise, so they are not checked.
 */
export function assertOverrideIsRead(g: CompiledGraph, nr: NodeRunState | undefined, override: unknown): void {
  if (override === undefined || !nr || nr.node_id === g.startId) return;
  const node = g.nodes.get(nr.node_id);
  if (!node || node.type !== 'task' || readsUpstream(node.config)) return;
  const sources = [...new Set(nr.tokens.map((t) => t.source_node_id).filter((x): x is string => typeof x === 'string'))];
  const reads = strings(node.config).some((s) => /\{\{[^}]*\binput\b/.test(s)) ? ' It reads the run input ({{input…}}), which only a rewind of the start node run can replace.' : '';
  throw new LlmctlError(
    'input_override_not_read',
    `input_override replaces the outputs node ${nr.node_id} consumed (${sources.map((s) => `upstream.${s}`).join(', ') || 'none'}), but its templates never read upstream, so it would run exactly as before.${reads}`,
    { node_id: nr.node_id, node_run_id: nr.id, can_change: sources.map((s) => `upstream.${s}`), start_node_id: g.startId },
  );
}
