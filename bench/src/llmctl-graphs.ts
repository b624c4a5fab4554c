import type { FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';
import type { NodeVariant, Shape } from './workloads.ts';

/** Name of the scripted model the benchmark's task nodes use. */
export const BENCH_MODEL = 'bench-scripted';

/** Registry entry of {@link BENCH_MODEL}: answers `{ "ok": true }` at once. */
export const BENCH_MODEL_INPUT = {
  name: BENCH_MODEL, provider: 'scripted', model: 'scripted',
  settings: { responses: [{ output: { ok: true } }] },
};

const SETTINGS = { max_node_executions: 100_000, max_runtime_minutes: 60 };

function work(id: string, variant: NodeVariant): FlowchartNode {
  return variant === 'task'
    ? { id, type: 'task', config: { model: BENCH_MODEL, prompt: 'step {{node.id}}' } }
    : { id, type: 'decision', config: { mode: 'deterministic', match: 'first' } };
}

/** A connector; out of a pass-through decision it is its (unconditional) fallback connector. */
function edge(id: string, source: string, target: string, fromDecision: boolean): FlowchartEdge {
  return fromDecision ? { id, source, target, fallback: true } : { id, source, target };
}

/**
 * The llmctl flowchart of a shape. Work nodes are `task` nodes on the scripted model, or (`pass`) deterministic
 * decisions with one fallback connector, which pass their input through without any model call.
 */
export function llmctlDocument(shape: Shape, variant: NodeVariant, maxParallel?: number): FlowchartDocument {
  if (shape.kind === 'flow3') return llmctlDocument({ kind: 'chain', nodes: 1 }, variant, maxParallel);
  const pass = variant === 'pass';
  const nodes: FlowchartNode[] = [{ id: 'start', type: 'start' }];
  const edges: FlowchartEdge[] = [];
  const settings = { ...SETTINGS, ...(maxParallel ? { max_parallel_nodes: maxParallel } : {}) };
  switch (shape.kind) {
    case 'chain': {
      let prev = 'start';
      for (let i = 1; i <= shape.nodes; i++) {
        const id = `n${i}`;
        nodes.push(work(id, variant));
        edges.push(edge(`e${i}`, prev, id, pass && prev !== 'start'));
        prev = id;
      }
      nodes.push({ id: 'end', type: 'end' });
      edges.push(edge('e_end', prev, 'end', pass && prev !== 'start'));
      break;
    }
    case 'fanout': {
      for (let i = 1; i <= shape.width; i++) {
        const id = `m${i}`;
        nodes.push(work(id, variant));
        edges.push(edge(`s${i}`, 'start', id, false));
        edges.push(edge(`j${i}`, id, 'join', pass));
      }
      nodes.push({ ...work('join', variant), fan_in: { policy: 'all' } });
      nodes.push({ id: 'end', type: 'end' });
      edges.push(edge('e_end', 'join', 'end', pass));
      break;
    }
    case 'loop': {
      nodes.push(work('head', variant));
      nodes.push({ id: 'check', type: 'decision', config: { mode: 'deterministic', match: 'first' } });
      nodes.push({ id: 'end', type: 'end' });
      edges.push(edge('e_in', 'start', 'head', false));
      edges.push(edge('e_body', 'head', 'check', pass));
      edges.push({ id: 'e_back', source: 'check', target: 'head', condition: `node.iteration < ${shape.iterations}` });
      edges.push({ id: 'e_exit', source: 'check', target: 'end', fallback: true });
      break;
    }
  }
  return { schema_version: 1, name: `bench ${shape.kind}`, settings, nodes, edges };
}

/**
 * The same flowchart with a context connector (dotted) beside every trigger connector into a work node: each node
 * then also gets its trigger source's output as `context` (bench/src/wal-copies.ts --context).
 */
export function withContextConnectors(doc: FlowchartDocument): FlowchartDocument {
  const work = new Set(doc.nodes.filter((n) => n.type !== 'start' && n.type !== 'end').map((n) => n.id));
  const context: FlowchartEdge[] = doc.edges.filter((e) => work.has(e.target)).map((e) => ({ id: `${e.id}_ctx`, source: e.source, target: e.target, mode: 'context' }));
  return { ...doc, edges: [...doc.edges, ...context] };
}
