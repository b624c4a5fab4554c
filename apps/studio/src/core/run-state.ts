/**
 * Client-side run state: the display state of each node on the run graph, the live views of the run's log (folded by
 * the engine's shared projection, `@llmctl/engine` foldRunEvent — the studio does not interpret event kinds itself),
 * and token-stream buffers.
 */
import type { NodeRun, Run } from '@llmctl/contracts';
import { foldRunEvent, joinViews, newRunFold, nodeRunView, runView, type JoinView, type RunFold, type RunFoldView } from '@llmctl/engine';

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

/** What the studio shows of a run's log, folded by the engine's shared projection (the one reader of event kinds). */
export interface LiveRunView {
  /** Sequence of the last folded event (0: nothing folded yet). */
  sequence: number;
  run: RunFoldView;
  /** Node runs in creation order. */
  node_runs: NodeRun[];
  /** Joins that held or discarded tokens, by node id. */
  joins: Record<string, JoinView>;
}

/** A fresh fold for run `runId`: feed it every logged event in sequence order with {@link foldLogged}. */
export function newLiveFold(runId: string): RunFold {
  return newRunFold(runId);
}

/**
 * Folds logged event payloads (in sequence order, any event format version) into `fold`, in place; returns the ids of
 * the node runs they touched.
 */
export function foldLogged(fold: RunFold, payloads: readonly unknown[]): Set<string> {
  const touched = new Set<string>();
  for (const p of payloads) for (const id of foldRunEvent(fold, p).node_run_ids) touched.add(id);
  return touched;
}

/**
 * The views of a fold (new objects: safe to hand to React). With the previous view and the node runs touched since,
 * the views of untouched node runs are reused (same objects), so a live batch costs what it changed.
 */
export function liveRunView(fold: RunFold, prev?: LiveRunView | null, touched?: ReadonlySet<string>): LiveRunView {
  const s = fold.state;
  const old = prev && touched ? new Map(prev.node_runs.map((n) => [n.id, n])) : null;
  const node_runs = s.order.map((id) => {
    const kept = old && !touched!.has(id) ? old.get(id) : undefined;
    return kept ?? nodeRunView(s.node_runs[id]!);
  });
  return { sequence: s.seq, run: runView(s), node_runs, joins: joinViews(fold) };
}

const merged = new WeakMap<NodeRun, { server: NodeRun; out: NodeRun }>();

function mergeNodeRun(server: NodeRun | undefined, live: NodeRun): NodeRun {
  if (!server) return live;
  const hit = merged.get(live);
  if (hit && hit.server === server) return hit.out;
  // Fields the log does not hold (where an attempt ran) come from the server's row.
  const attempts = live.attempts.map((a) => ({ ...server.attempts?.find((x) => x.n === a.n), ...a }));
  const out = { ...server, ...live, attempts };
  merged.set(live, { server, out });
  return out;
}

/**
 * The run to show: the server's run (fields the log does not hold: ids, versions, chain links, executors) with what
 * the live fold of its log knows (status, output, errors, node runs). Before anything is folded, the server's run.
 */
export function mergeLiveRun(run: Run, live: LiveRunView | null): Run {
  if (!live || live.sequence === 0) return run;
  const byId = new Map((run.node_runs ?? []).map((n) => [n.id, n]));
  const r = live.run;
  return {
    ...run, status: r.status, input: r.input, output: r.output, error: r.error, warnings: r.warnings, leftover_tokens: r.leftover_tokens,
    started_at: r.started_at, finished_at: r.finished_at, node_runs: live.node_runs.map((n) => mergeNodeRun(byId.get(n.id), n)),
  };
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
