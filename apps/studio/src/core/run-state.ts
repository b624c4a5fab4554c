/**
 * Client-side run state: the display state of each node on the run graph, merging realtime event payloads into a
 * run snapshot, and token-stream buffers.
 */
import type { EventEnvelope, NodeRun, Run } from '@llmctl/contracts';

/** Colour states of the run graph (node-run statuses plus `success_with_warning`, and `idle` for never-run nodes). */
export type NodeDisplayState =
  | 'idle'
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

/** Extracts a node run from a `flowchart:node:updated` payload (`{ node_run }` or the node run itself). */
export function nodeRunFromPayload(payload: unknown): NodeRun | null {
  if (!isRecord(payload)) return null;
  const cand = isRecord(payload.node_run) ? payload.node_run : payload;
  return typeof cand.id === 'string' && typeof cand.node_id === 'string' && typeof cand.status === 'string' ? (cand as unknown as NodeRun) : null;
}

/** Extracts run fields from a `flowchart:run:updated` payload (`{ run }` or the run itself). */
export function runFromPayload(payload: unknown): Partial<Run> | null {
  if (!isRecord(payload)) return null;
  const cand = isRecord(payload.run) ? payload.run : payload;
  return typeof cand.status === 'string' ? (cand as Partial<Run>) : null;
}

/**
 * Applies one realtime event to a run snapshot optimistically. Unknown event types or payload shapes leave the
 * run unchanged (the caller refetches the run after events anyway, so the snapshot converges on the server's).
 */
export function applyRunEvent(run: Run, event: Pick<EventEnvelope, 'event_type' | 'payload' | 'run_id'>): Run {
  if (event.run_id && event.run_id !== run.id) return run;
  if (event.event_type === 'flowchart:node:updated') {
    const nr = nodeRunFromPayload(event.payload);
    if (!nr) return run;
    const list = run.node_runs ?? [];
    const i = list.findIndex((x) => x.id === nr.id);
    const merged = i >= 0 ? { ...list[i]!, ...nr } : nr;
    const node_runs = i >= 0 ? list.map((x, j) => (j === i ? merged : x)) : [...list, merged];
    return { ...run, node_runs };
  }
  if (event.event_type === 'flowchart:run:updated' || event.event_type === 'flowchart:run:control') {
    const r = runFromPayload(event.payload);
    if (!r || (r.id !== undefined && r.id !== run.id)) return run;
    const { node_runs, ...fields } = r;
    return { ...run, ...fields, node_runs: Array.isArray(node_runs) ? node_runs : run.node_runs };
  }
  return run;
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
