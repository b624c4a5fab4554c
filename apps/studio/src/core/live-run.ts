/**
 * The live views of a run's log in the studio: every logged event is folded by the engine's shared projection
 * (`@llmctl/engine` foldRunEvent, which upcasts older event formats first) — the studio does not interpret event kinds
 * itself. Only the run view (a lazily loaded page) imports this module, so the engine loads with it.
 */
import type { NodeRun, Run } from '@llmctl/contracts';
import { foldRunEvent, joinViews, newRunFold, nodeRunView, runView, type JoinView, type RunFold, type RunFoldView } from '@llmctl/engine';

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
