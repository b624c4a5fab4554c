/**
 * "Test this node" in the editor: the sample a test starts from (prefilled from the paths the node's templates read)
 * and the body of `POST /api/node-tests` built from the editor's current, possibly unsaved, graph.
 */
import type { FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { Graph } from './types.ts';

/** Node types the server can test (routes/node-tests.ts). */
export const TESTABLE_TYPES: readonly string[] = ['task', 'decision', 'end'];

/** The sample of a node test: the template scope's `input`, `upstream.<id>`, `context.<id>`. */
export interface NodeTestSample {
  input: Record<string, unknown>;
  upstream: Record<string, unknown>;
  context: Record<string, unknown>;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'output_schema') strings(x, out);
}

/** Sets `path` (dot keys) in `obj` to `leaf` unless something is already there. */
function setPath(obj: Record<string, unknown>, keys: string[], leaf: unknown): void {
  let cur = obj;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) {
      if (!(k in cur)) cur[k] = leaf;
      return;
    }
    const next = cur[k];
    if (!next || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  });
}

/** The template paths (`input.text`, `upstream.classify.label`…) a node's config reads, in order, once each. */
export function templatePaths(node: Pick<FlowchartNode, 'config'>): string[] {
  const texts: string[] = [];
  strings(node.config ?? {}, texts);
  const out: string[] = [];
  for (const t of texts) for (const m of t.matchAll(PLACEHOLDER)) if (m[1] && !out.includes(m[1])) out.push(m[1]);
  return out;
}

/**
 * A sample with every path the node reads filled with a placeholder string the user edits (`"<input.text>"`), and an
 * empty object for each trigger / context source that enters the node (so a decision's routing can be tried too).
 */
export function defaultSample(graph: Pick<Graph, 'nodes' | 'edges'>, nodeId: string): NodeTestSample {
  const sample: NodeTestSample = { input: {}, upstream: {}, context: {} };
  const node = graph.nodes.find((n) => n.id === nodeId)?.data.node;
  for (const e of graph.edges) {
    if (e.target !== nodeId) continue;
    const mode = e.data.edge.mode ?? 'trigger';
    const bag = mode === 'context' ? sample.context : sample.upstream;
    if (!(e.source in bag)) bag[e.source] = {};
  }
  for (const path of node ? templatePaths(node) : []) {
    const [root, ...rest] = path.split('.');
    if ((root === 'input' || root === 'upstream' || root === 'context') && rest.length > 0) setPath(sample[root], rest, `<${path}>`);
  }
  return sample;
}

/** The body of `POST /api/node-tests`: the node as edited, the connectors leaving it, the sample and the model. */
export function nodeTestBody(graph: Pick<Graph, 'nodes' | 'edges'>, nodeId: string, sample: unknown, model: string | null): {
  node: FlowchartNode; edges: FlowchartEdge[]; sample: unknown; model?: string;
} {
  const node = graph.nodes.find((n) => n.id === nodeId)?.data.node;
  if (!node) throw new Error(`no node ${nodeId}`);
  const edges = graph.edges.filter((e) => e.source === nodeId).map((e) => e.data.edge);
  return { node, edges, sample, ...(model ? { model } : {}) };
}
