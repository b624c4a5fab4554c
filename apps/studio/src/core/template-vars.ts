/**
 * The template variables a node can read (flowchart-v1.md "Templates"), for the editor's variable picker: `input`,
 * `upstream.<id>` for each trigger connector entering the node, `context.<id>` for each context connector, `node.id`,
 * `node.iteration`, `run.id`. Suggesting only these keeps prompts free of references the save-time check would flag.
 */
import type { Graph } from './types.ts';

/** One suggestion: the path, and the placeholder text inserted for it. */
export interface TemplateVar {
  path: string;
  insert: string;
}

/** Variables node `nodeId` can use in its templates, in a stable order. */
export function templateVariables(graph: Pick<Graph, 'edges'>, nodeId: string): TemplateVar[] {
  const into = graph.edges.filter((e) => e.target === nodeId);
  const ids = (mode: 'trigger' | 'context'): string[] =>
    [...new Set(into.filter((e) => (e.data.edge.mode ?? 'trigger') === mode).map((e) => e.source))].sort();
  const paths = ['input', ...ids('trigger').map((id) => `upstream.${id}`), ...ids('context').map((id) => `context.${id}`), 'node.iteration', 'run.id'];
  return paths.map((path) => ({ path, insert: `{{${path}}}` }));
}

/** Inserts `text` into `value` at `at` (default: the end), with a space before it when needed. */
export function insertAt(value: string, text: string, at = value.length): string {
  const before = value.slice(0, at);
  const sep = before && !/\s$/.test(before) ? ' ' : '';
  return `${before}${sep}${text}${value.slice(at)}`;
}
