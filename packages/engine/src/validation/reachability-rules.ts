import { endsRun, nodePath, type Analysis } from './analysis.ts';
import { stronglyConnectedComponents } from './graph/scc.ts';
import { capitalize, IssueCollector, nodeLabel } from './issues.ts';

/** Warnings `unreachable_node` and `no_end_reachable` (both need a start node). */
export function checkReachability(a: Analysis, out: IssueCollector): void {
  const start = a.start;
  if (!start) return;
  for (const [id, n] of a.byId) {
    if (a.reachable.has(id) || n.node.type === 'start') continue;
    out.warn(
      'unreachable_node',
      `${capitalize(nodeLabel(n.node))} is not reachable from start node "${start.node.id}" over trigger connectors; it will never run.`,
      { path: nodePath(n), node_id: id },
    );
  }
  const ends = [...a.reachable].some((id) => {
    const n = a.byId.get(id);
    return n !== undefined && endsRun(n.node);
  });
  if (!ends) {
    out.warn(
      'no_end_reachable',
      `No end node (or milestone with terminate always/on_complete) is reachable from start node "${start.node.id}"; the run will end when nothing is left to do.`,
      { path: '/nodes' },
    );
  }
}

/**
 * `loop_without_exit`: a strongly connected component of trigger connectors with more than one node, no trigger
 * connector leaving it (a connector into start continues as a new run, so it is no exit and is not part of the graph)
 * and no end node or terminating milestone inside.
 */
export function checkLoops(a: Analysis, out: IssueCollector): void {
  for (const component of stronglyConnectedComponents(a.flow)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    if (component.some((id) => { const n = a.byId.get(id); return n !== undefined && endsRun(n.node); })) continue;
    const exits = component.some((id) =>
      (a.triggerOut.get(id) ?? []).some((e) => !members.has(e.edge.target) && a.byId.get(e.edge.target)?.node.type !== 'start'),
    );
    if (exits) continue;
    const first = a.byId.get(component[0] as string);
    if (!first) continue;
    out.error(
      'loop_without_exit',
      `Nodes ${component.map((id) => `"${id}"`).join(', ')} form a loop with no way out: no trigger connector leaves it (a connector into start only continues as a new run) and it holds no end node or terminating milestone.`,
      { path: nodePath(first), node_id: first.node.id },
    );
  }
}
