/**
 * Client-side run state: the display state of each node on the run graph, merging realtime event payloads into a
 * run snapshot, and token-stream buffers.
 */
import type { EventEnvelope, NodeRun, Run } from '@llmctl/contracts';

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

const TERMINAL_RUN = new Set(['succeeded', 'failed', 'canceled']);

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function patchNodeRun(run: Run, id: unknown, fn: (nr: NodeRun) => NodeRun): Run {
  if (typeof id !== 'string') return run;
  const list = run.node_runs ?? [];
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) return run;
  return { ...run, node_runs: list.map((x, j) => (j === i ? fn(x) : x)) };
}

function closeOpenAttempt(nr: NodeRun, at: string | null): NodeRun['attempts'] {
  return (nr.attempts ?? []).map((a) => (a.finished_at === null ? { ...a, finished_at: at } : a));
}

/**
 * Applies an engine event payload (`{ kind: 'node.succeeded', node_run_id, ... }`, as the runtime logs them) to a
 * run. Unknown kinds leave the run unchanged.
 */
export function applyEnginePayload(run: Run, p: Record<string, unknown>): Run {
  const at = str(p.at);
  switch (p.kind) {
    case 'run.started':
      return { ...run, status: run.status === 'queued' ? 'running' : run.status, started_at: run.started_at ?? at };
    case 'run.status': {
      const status = str(p.status) as Run['status'] | null;
      if (!status) return run;
      const next: Run = { ...run, status };
      if ('error' in p) next.error = (p.error as Run['error']) ?? null;
      if ('output' in p) next.output = p.output;
      if (Array.isArray(p.leftover_tokens)) next.leftover_tokens = p.leftover_tokens as Run['leftover_tokens'];
      next.finished_at = TERMINAL_RUN.has(status) ? (at ?? run.finished_at) : null;
      if (status === 'running' && !run.started_at) next.started_at = at;
      return next;
    }
    case 'run.warning':
      return isRecord(p.warning) ? { ...run, warnings: [...(run.warnings ?? []), p.warning as unknown as Run['warnings'][number]] } : run;
    case 'run.rewound': {
      const sup = new Set(Array.isArray(p.superseded) ? (p.superseded as string[]) : []);
      return { ...run, node_runs: (run.node_runs ?? []).map((nr) => (sup.has(nr.id) ? { ...nr, status: 'superseded' } : nr)) };
    }
    case 'node.queued': {
      const n = isRecord(p.node_run) ? p.node_run : null;
      if (!n || typeof n.id !== 'string' || (run.node_runs ?? []).some((x) => x.id === n.id)) return run;
      const nr: NodeRun = {
        id: n.id,
        node_id: str(n.node_id) ?? str(p.node_id) ?? '',
        node_type: str(n.node_type) ?? '',
        iteration: typeof n.iteration === 'number' ? n.iteration : 1,
        status: 'queued',
        outcome: null,
        fallback_used: false,
        degraded_reason: null,
        warnings: [],
        error: null,
        input_snapshot: { tokens: Array.isArray(n.tokens) ? (n.tokens as NodeRun['input_snapshot']['tokens']) : [], upstream: {} },
        output: null,
        routing: null,
        attempts: [],
        idempotency_key: str(n.idempotency_key) ?? '',
        retry_of: str(n.retry_of),
        rewound_from: str(n.rewound_from),
        started_at: null,
        finished_at: null,
        usage: null,
      };
      return { ...run, node_runs: [...(run.node_runs ?? []), nr] };
    }
    case 'node.started':
      return patchNodeRun(run, p.node_run_id, (nr) => ({ ...nr, status: 'running', started_at: nr.started_at ?? at, input_snapshot: isRecord(p.context) ? { ...nr.input_snapshot, context: p.context } : nr.input_snapshot }));
    case 'node.attempt_started':
      return patchNodeRun(run, p.node_run_id, (nr) => ({
        ...nr,
        status: 'running',
        attempts: [...(nr.attempts ?? []).filter((a) => a.n !== p.n), { n: typeof p.n === 'number' ? p.n : (nr.attempts?.length ?? 0) + 1, started_at: at ?? '', finished_at: null, error: null }],
      }));
    case 'node.attempt_failed':
      return patchNodeRun(run, p.node_run_id, (nr) => ({ ...nr, attempts: (nr.attempts ?? []).map((a) => (a.n === p.n ? { ...a, finished_at: at, error: (p.error as NodeRun['error']) ?? null } : a)) }));
    case 'node.succeeded':
      return patchNodeRun(run, p.node_run_id, (nr) => ({
        ...nr,
        status: 'succeeded',
        output: p.output,
        routing: (p.routing as NodeRun['routing']) ?? nr.routing,
        outcome: (p.outcome as NodeRun['outcome']) ?? 'success',
        fallback_used: p.fallback_used === true,
        degraded_reason: str(p.degraded_reason),
        warnings: Array.isArray(p.warnings) ? (p.warnings as NodeRun['warnings']) : nr.warnings,
        usage: isRecord(p.usage) ? p.usage : nr.usage,
        finished_at: at,
        attempts: closeOpenAttempt(nr, at),
      }));
    case 'node.failed':
      return patchNodeRun(run, p.node_run_id, (nr) => ({
        ...nr,
        status: 'failed',
        error: (p.error as NodeRun['error']) ?? nr.error,
        warnings: Array.isArray(p.warnings) ? (p.warnings as NodeRun['warnings']) : nr.warnings,
        finished_at: at,
        attempts: closeOpenAttempt(nr, at),
      }));
    case 'node.skipped':
      return patchNodeRun(run, p.node_run_id, (nr) => ({ ...nr, status: 'skipped', output: p.output, routing: (p.routing as NodeRun['routing']) ?? nr.routing, finished_at: at }));
    case 'node.requeued':
      return patchNodeRun(run, p.node_run_id, (nr) => ({ ...nr, status: 'queued', attempts: closeOpenAttempt(nr, at) }));
    case 'node.canceled':
      return patchNodeRun(run, p.node_run_id, (nr) => ({ ...nr, status: 'canceled', finished_at: at, attempts: closeOpenAttempt(nr, at) }));
    default:
      return run;
  }
}

/**
 * Applies one realtime event to a run snapshot optimistically: engine-event payloads (`{ kind, ... }`) are folded
 * in, as are payloads carrying a whole node run or run. Unknown event types or shapes leave the run unchanged (the
 * caller refetches the run after events anyway, so the snapshot converges on the server's).
 */
export function applyRunEvent(run: Run, event: Pick<EventEnvelope, 'event_type' | 'payload' | 'run_id'>): Run {
  if (event.run_id && event.run_id !== run.id) return run;
  if (isRecord(event.payload) && typeof event.payload.kind === 'string') return applyEnginePayload(run, event.payload);
  if (event.event_type === 'flowchart:node:updated') {
    const nr = nodeRunFromPayload(event.payload);
    if (!nr) return run;
    const list = run.node_runs ?? [];
    const i = list.findIndex((x) => x.id === nr.id);
    const merged = i >= 0 ? { ...list[i]!, ...nr } : nr;
    const node_runs = i >= 0 ? list.map((x, j) => (j === i ? merged : x)) : [...list, merged];
    return { ...run, node_runs };
  }
  if (event.event_type === 'flowchart:run:updated') {
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
