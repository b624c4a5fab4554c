/** Flowchart documents of the studio benchmark. */
import type { FlowchartDocument, FlowchartEdge, FlowchartNode } from '@llmctl/contracts';

/**
 * A 1,000-node flowchart with stored positions (as the studio saves them): start → `lanes` parallel chains of task
 * nodes; every 10th node of a chain is a decision that either continues the chain (condition) or skips one node
 * (fallback), so the node after the skipped one is a join; every chain ends in one end node that joins them all.
 */
export function bigFlowchart(model: string, total = 1000, lanes = 10): FlowchartDocument {
  const perLane = Math.floor((total - 2) / lanes);
  const extra = total - 2 - perLane * lanes;
  const midY = ((lanes - 1) * 110) / 2;
  const nodes: FlowchartNode[] = [{ id: 'start', type: 'start', ui: { x: 0, y: midY } }];
  const edges: FlowchartEdge[] = [];
  const edge = (source: string, target: string, more: Partial<FlowchartEdge> = {}): void => {
    edges.push({ id: `e${edges.length + 1}`, source, target, ...more });
  };
  let maxCol = 0;
  for (let lane = 0; lane < lanes; lane++) {
    const count = perLane + (lane < extra ? 1 : 0);
    const ids = Array.from({ length: count }, (_, i) => `l${lane}_${i}`);
    const at = (i: number): string => ids[i] ?? 'done';
    edge('start', at(0));
    ids.forEach((id, i) => {
      const ui = { x: (i + 1) * 220, y: lane * 110 };
      maxCol = Math.max(maxCol, i + 1);
      if (i % 10 === 9 && i + 2 < count) {
        nodes.push({ id, type: 'decision', name: `Check ${lane}.${i}`, config: { mode: 'deterministic', match: 'first' }, ui });
        edge(id, at(i + 1), { condition: "output.text != ''", route_key: 'next' });
        edge(id, at(i + 2), { fallback: true, route_key: 'skip' });
      } else {
        nodes.push({ id, type: 'task', name: `Step ${lane}.${i}`, config: { model, prompt: `Step ${lane}.${i}: {{input.text}}` }, ui });
        edge(id, at(i + 1));
      }
    });
  }
  nodes.push({ id: 'done', type: 'end', ui: { x: (maxCol + 1) * 220, y: midY } });
  return { schema_version: 1, name: `Big flowchart (${total} nodes)`, settings: { max_node_executions: 5000, max_parallel_nodes: 8 }, nodes, edges };
}

/** The same document without stored positions (an imported file): the editor lays it out when it opens. */
export function withoutPositions(doc: FlowchartDocument): FlowchartDocument {
  return { ...doc, name: `${doc.name} (no positions)`, nodes: doc.nodes.map(({ ui: _ui, ...n }) => n) };
}

/**
 * A run of exactly `nodeRuns` node runs: start → gate (a slow task, so the run view is open before the burst) →
 * `nodeRuns - 3` parallel tasks → done (an inclusive join).
 */
export function wideRun(model: string, nodeRuns = 500): FlowchartDocument {
  const width = nodeRuns - 3;
  const cols = 25;
  const nodes: FlowchartNode[] = [
    { id: 'start', type: 'start', ui: { x: 0, y: 0 } },
    { id: 'gate', type: 'task', name: 'Gate', config: { model, prompt: 'Gate' }, ui: { x: 220, y: 0 } },
  ];
  const edges: FlowchartEdge[] = [{ id: 'e1', source: 'start', target: 'gate' }];
  for (let i = 0; i < width; i++) {
    const id = `w${String(i).padStart(3, '0')}`;
    nodes.push({ id, type: 'task', config: { model, prompt: `Work ${i}` }, ui: { x: 440 + (i % cols) * 200, y: Math.floor(i / cols) * 80 } });
    edges.push({ id: `in${i}`, source: 'gate', target: id }, { id: `out${i}`, source: id, target: 'done' });
  }
  nodes.push({ id: 'done', type: 'end', ui: { x: 440 + cols * 200, y: 0 } });
  return { schema_version: 1, name: `Wide run (${nodeRuns} node runs)`, settings: { max_node_executions: 5000, max_parallel_nodes: 8 }, nodes, edges };
}
