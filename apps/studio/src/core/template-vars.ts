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

/** Where the completion menu of a field applies: the typed fragment `[from, to)` and what may replace it. */
export interface Completion {
  from: number;
  to: number;
  items: { path: string; insert: string }[];
}

/**
 * Output fields a node's successors can read as `upstream.<id>.<field>`: a task without an output schema answers
 * `{ text }`, one with an object schema its top-level properties; other nodes add nothing.
 */
export function outputFields(node: { type: string; config?: Record<string, unknown> } | undefined): string[] {
  if (!node || node.type !== 'task') return [];
  const schema = node.config?.output_schema as { type?: unknown; properties?: Record<string, unknown> } | undefined;
  if (!schema) return ['text'];
  return schema.properties && typeof schema.properties === 'object' ? Object.keys(schema.properties) : [];
}

/** Variables with the known output fields of each upstream / context source expanded (`upstream.a`, `upstream.a.text`). */
export function completionPaths(graph: Pick<Graph, 'edges' | 'nodes'>, nodeId: string): string[] {
  const out: string[] = [];
  for (const v of templateVariables(graph, nodeId)) {
    out.push(v.path);
    const [root, id] = v.path.split('.');
    if ((root === 'upstream' || root === 'context') && id) {
      for (const f of outputFields(graph.nodes.find((n) => n.id === id)?.data.node)) out.push(`${v.path}.${f}`);
    }
  }
  return out;
}

const ROOT_WORD = /(?:^|[^\w.])((?:input|upstream|context|output|node|run)\.[\w.-]*)$/;

/**
 * The completion at `cursor` of a template field (`mode: 'template'`: inside an open `{{`, or after `upstream.` /
 * `context.` / `input.` typed bare, which inserts the braces too) or of a JSONata condition (`mode: 'condition'`: a
 * bare `root.` path). Null when nothing applies or nothing matches.
 */
export function completionAt(text: string, cursor: number, paths: string[], mode: 'template' | 'condition'): Completion | null {
  const before = text.slice(0, cursor);
  const match = (typed: string, exact = false): string[] => paths.filter((p) => p.toLowerCase().startsWith(typed.toLowerCase()) && (exact || p !== typed));
  if (mode === 'template') {
    const open = before.lastIndexOf('{{');
    if (open >= 0 && !before.slice(open).includes('}}')) {
      const frag = /^\{\{\s*([\w.-]*)$/.exec(before.slice(open));
      if (frag) {
        const from = cursor - frag[1]!.length;
        const closed = text.slice(cursor).replace(/^[\w.-]*/, '').startsWith('}}');
        const to = cursor + (/^[\w.-]*/.exec(text.slice(cursor))?.[0].length ?? 0);
        const items = match(frag[1]!, true).map((p) => ({ path: p, insert: closed ? p : `${p}}}` }));
        return items.length ? { from, to, items } : null;
      }
      return null;
    }
  }
  const word = ROOT_WORD.exec(before)?.[1];
  if (!word) return null;
  const items = match(word).map((p) => ({ path: p, insert: mode === 'template' ? `{{${p}}}` : p }));
  return items.length ? { from: cursor - word.length, to: cursor, items } : null;
}

/** Applies a completion item: the new text and where the caret goes. */
export function applyCompletion(text: string, c: Completion, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, c.from) + insert + text.slice(c.to), caret: c.from + insert.length };
}
