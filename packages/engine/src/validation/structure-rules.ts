import { edgePath, nodePath, type Analysis, type IndexedEdge } from './analysis.ts';
import { capitalize, edgeLabel, IssueCollector, nodeLabel } from './issues.ts';

/** `start_missing` / `start_multiple`: exactly one `start` node. */
export function checkStart(a: Analysis, out: IssueCollector): void {
  const starts = a.nodes.filter((n) => n.node.type === 'start');
  const first = starts[0];
  if (!first) {
    out.error('start_missing', 'The flowchart has no start node; add exactly one node of type "start".', { path: '/nodes' });
    return;
  }
  for (const extra of starts.slice(1)) {
    out.error(
      'start_multiple',
      `${capitalize(nodeLabel(extra.node))} is a second start node (the first is "${first.node.id}"); a flowchart has exactly one.`,
      { path: nodePath(extra, 'type'), node_id: extra.node.id },
    );
  }
}

/** `duplicate_id`: node ids are unique among nodes, connector ids among connectors. */
export function checkDuplicateIds(a: Analysis, out: IssueCollector): void {
  const nodeSeen = new Map<string, number>();
  for (const n of a.nodes) {
    const first = nodeSeen.get(n.node.id);
    if (first === undefined) nodeSeen.set(n.node.id, n.index);
    else {
      out.error(
        'duplicate_id',
        `Node id "${n.node.id}" is used by nodes ${first} and ${n.index}; node ids must be unique.`,
        { path: nodePath(n, 'id'), node_id: n.node.id },
      );
    }
  }
  const edgeSeen = new Map<string, number>();
  for (const e of a.edges) {
    const first = edgeSeen.get(e.edge.id);
    if (first === undefined) edgeSeen.set(e.edge.id, e.index);
    else {
      out.error(
        'duplicate_id',
        `Connector id "${e.edge.id}" is used by connectors ${first} and ${e.index}; connector ids must be unique.`,
        { path: edgePath(e, 'id'), edge_id: e.edge.id },
      );
    }
  }
}

/** `edge_dangling`: every `source` and `target` names an existing node. */
export function checkDangling(a: Analysis, out: IssueCollector): void {
  for (const e of a.edges) {
    for (const end of ['source', 'target'] as const) {
      const id = e.edge[end];
      if (a.byId.has(id)) continue;
      out.error(
        'edge_dangling',
        `${capitalize(edgeLabel(e.edge))} names ${end} node "${id}", which does not exist.`,
        { path: edgePath(e, end), edge_id: e.edge.id },
      );
    }
  }
}

/** `edge_out_of_end`, `self_loop`, `edge_parallel`: shape rules of trigger connectors. */
export function checkTriggerShapes(a: Analysis, out: IssueCollector): void {
  const pairs = new Map<string, IndexedEdge>();
  for (const e of a.edges) {
    if (e.mode !== 'trigger') continue;
    const source = a.byId.get(e.edge.source);
    if (source?.node.type === 'end') {
      out.error(
        'edge_out_of_end',
        `${capitalize(edgeLabel(e.edge))} is a trigger connector leaving end node "${source.node.id}"; nothing runs after an end node (use a context connector to share its output).`,
        { path: edgePath(e), edge_id: e.edge.id, node_id: source.node.id },
      );
    }
    if (e.edge.source === e.edge.target && source) {
      out.error(
        'self_loop',
        `${capitalize(edgeLabel(e.edge))} is a trigger connector from node "${e.edge.source}" to itself; loop through another node instead.`,
        { path: edgePath(e), edge_id: e.edge.id, node_id: e.edge.source },
      );
    }
    if (!e.connected) continue;
    const key = `${e.edge.source}\u0000${e.edge.target}`;
    const first = pairs.get(key);
    if (!first) pairs.set(key, e);
    else {
      out.error(
        'edge_parallel',
        `${capitalize(edgeLabel(e.edge))} duplicates trigger connector "${first.edge.id}" between the same nodes; two trigger connectors between the same pair of nodes are not allowed.`,
        { path: edgePath(e), edge_id: e.edge.id },
      );
    }
  }
}
