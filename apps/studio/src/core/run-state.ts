/**
 * Client-side run state: the display state of each node on the run graph and token-stream buffers. The live views of
 * the run's log are in live-run.ts (the engine's shared projection; kept out of this module so pages that only show
 * states do not load the engine).
 */
import type { NodeRun } from '@llmctl/contracts';

/** Colour states of the run graph (node-run statuses plus `success_with_warning`, `idle` for nodes not run yet, `not_taken` once the run is finished). */
export type NodeDisplayState =
  | 'idle'
  /** A node that never ran in a finished run (a branch not taken). */
  | 'not_taken'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'success_with_warning'
  | 'failed'
  | 'skipped'
  | 'canceled'
  | 'superseded';

/** The display state of one node run. */
export function nodeRunDisplayState(nr: Pick<NodeRun, 'status' | 'outcome' | 'fallback_used'>): NodeDisplayState {
  if (nr.status === 'succeeded' && (nr.outcome === 'success_with_warning' || nr.fallback_used)) return 'success_with_warning';
  return nr.status;
}

/** Per-node summary on the run graph. */
export interface NodeRunSummary {
  state: NodeDisplayState;
  /** The node run shown for this node: the latest non-superseded one, else the latest. */
  latest: NodeRun;
  /** All node runs of this node, in creation order. */
  count: number;
}

/** Summarises node runs per node id (node runs are in creation order). */
export function summarizeNodeRuns(nodeRuns: readonly NodeRun[]): Map<string, NodeRunSummary> {
  const byNode = new Map<string, NodeRun[]>();
  for (const nr of nodeRuns) {
    const list = byNode.get(nr.node_id) ?? [];
    list.push(nr);
    byNode.set(nr.node_id, list);
  }
  const out = new Map<string, NodeRunSummary>();
  for (const [nodeId, list] of byNode) {
    const live = list.filter((n) => n.status !== 'superseded');
    const latest = (live.length ? live : list)[(live.length ? live : list).length - 1]!;
    out.set(nodeId, { state: nodeRunDisplayState(latest), latest, count: list.length });
  }
  return out;
}

/** Connector ids taken by any non-superseded node run of the run (for highlighting the path on the graph). */
export function takenConnectorIds(nodeRuns: readonly NodeRun[]): Set<string> {
  const out = new Set<string>();
  for (const nr of nodeRuns) {
    if (nr.status === 'superseded') continue;
    for (const id of nr.routing?.matched_connector_ids ?? []) out.add(id);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Token text per node run id. */
export type TokenBuffers = Record<string, string>;

/** Appends a `flowchart:node:token` payload `{ node_run_id, delta }` to the buffers (unchanged on a bad payload). */
export function appendToken(buffers: TokenBuffers, payload: unknown, maxChars = 200_000): TokenBuffers {
  if (!isRecord(payload) || typeof payload.node_run_id !== 'string' || typeof payload.delta !== 'string') return buffers;
  const prev = buffers[payload.node_run_id] ?? '';
  let text = prev + payload.delta;
  if (text.length > maxChars) text = text.slice(text.length - maxChars);
  return { ...buffers, [payload.node_run_id]: text };
}
