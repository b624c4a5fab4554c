import type { ErrorInfo, RoutingRecord, RunStatus, Warning } from '@llmctl/contracts';
import type { CompiledGraph } from '../graph.ts';
import { keyFor, leftoverTokens, settleJoins } from './fan-in.ts';
import type { EngineState, NodeRunState, Token } from './state.ts';
import { tokenOrder } from './state.ts';
import type { IdFactory } from './tx.ts';
import { Tx } from './tx.ts';

/** What a node's work produced, as reported by the runtime. */
export interface NodeSuccess {
  output: unknown;
  routing: RoutingRecord;
  outcome?: 'success' | 'success_with_warning';
  fallback_used?: boolean;
  degraded_reason?: string | null;
  warnings?: Warning[];
  usage?: Record<string, unknown> | null;
  /** A milestone whose `terminate` setting fired: ends the run like an `end` node. */
  terminate?: boolean;
}

function begin(g: CompiledGraph, s: EngineState, newId: IdFactory, now: string): Tx {
  return new Tx(g, s, newId, now);
}

function setStatus(tx: Tx, status: RunStatus, extra: { error?: ErrorInfo | null; output?: unknown; reason?: string; continue_as_new?: { input: unknown } } = {}): void {
  const from = tx.s.status;
  if (from === status) return;
  const terminal = status === 'succeeded' || status === 'canceled';
  tx.emit({ kind: 'run.status', status, from, ...extra, ...(terminal ? { leftover_tokens: leftoverTokens(tx.s) } : {}), at: tx.now });
}

/** Creates a queued node run for one activation. */
function queueActivation(tx: Tx, nodeId: string, tokens: Token[]): void {
  const node = tx.g.nodes.get(nodeId)!;
  const iteration = (tx.s.iterations[nodeId] ?? 0) + 1;
  tx.emit({
    kind: 'node.queued', node_id: nodeId, at: tx.now,
    node_run: { id: tx.newId(), node_id: nodeId, node_type: node.type, iteration, tokens, retry_of: null, rewound_from: null, idempotency_key: keyFor(tx, nodeId, iteration) },
  });
}

/** Ends the run as succeeded (end node, continue-as-new, terminating milestone, quiescence). */
function succeedRun(tx: Tx, output: unknown, continueAsNew?: { input: unknown }): void {
  for (const id of [...tx.s.running]) tx.emit({ kind: 'node.canceled', node_id: tx.s.node_runs[id]!.node_id, node_run_id: id, reason: 'run_ended', at: tx.now });
  for (const id of [...tx.s.queue]) tx.emit({ kind: 'node.canceled', node_id: tx.s.node_runs[id]!.node_id, node_run_id: id, reason: 'run_ended', at: tx.now });
  setStatus(tx, 'succeeded', { output, ...(continueAsNew ? { continue_as_new: continueAsNew } : {}) });
}

/** Fails the run: running node runs go back to queued (attempt interrupted); queued ones and join tokens are kept. */
function failRun(tx: Tx, error: ErrorInfo): void {
  for (const id of [...tx.s.running]) tx.emit({ kind: 'node.requeued', node_id: tx.s.node_runs[id]!.node_id, node_run_id: id, reason: 'run_failed', at: tx.now });
  setStatus(tx, 'failed', { error });
}

function quiescentOutput(s: EngineState): Record<string, unknown> {
  const latest = new Map<string, NodeRunState>();
  for (const id of s.order) {
    const nr = s.node_runs[id]!;
    if ((nr.status === 'succeeded' || nr.status === 'skipped') && nr.routing && (nr.routing.routing_state === 'terminal' || nr.routing.routing_state === 'no_route')) {
      const prev = latest.get(nr.node_id);
      if (!prev || (prev.done_seq ?? 0) < (nr.done_seq ?? 0)) latest.set(nr.node_id, nr);
    }
  }
  return Object.fromEntries([...latest].map(([k, v]) => [k, v.output]));
}

/**
 * After any change: settle joins, then apply pausing → paused and quiescence → succeeded. Starved joins fail the run.
 */
function settle(tx: Tx): void {
  const s = tx.s;
  if (s.status === 'running' || s.status === 'pausing') {
    const starved = settleJoins(tx);
    if (starved) {
      failRun(tx, starved);
      return;
    }
  }
  if (s.status === 'pausing' && s.running.length === 0) setStatus(tx, 'paused');
  else if (s.status === 'running' && s.queue.length === 0 && s.running.length === 0) succeedRun(tx, quiescentOutput(s));
}

/** Routes the tokens of a succeeded or skipped node run along its matched connectors. */
function route(tx: Tx, nr: NodeRunState, value: unknown, routing: RoutingRecord, terminate: boolean): void {
  const { g, s } = tx;
  const seq = s.seq; // the succeeded/skipped event
  const node = g.nodes.get(nr.node_id)!;
  if (node.type === 'end' || terminate) {
    succeedRun(tx, value);
    return;
  }
  const joinTokens: { target: string; connector: string; token: Token }[] = [];
  for (const cid of routing.matched_connector_ids) {
    const e = g.edges.get(cid);
    if (!e) continue;
    const token: Token = { connector_id: cid, source_node_id: nr.node_id, source_node_run_id: nr.id, output: value, seq, order: g.edgeOrder.get(cid) ?? 0 };
    if (e.target === g.startId) {
      // Continue as new, bounded: the run that would make hop max_continuations + 1 fails the chain instead.
      if (s.continuation + 1 > g.settings.max_continuations) {
        failRun(tx, {
          code: 'guardrail_max_continuations', message: `the continue-as-new chain reached max_continuations (${g.settings.max_continuations})`,
          details: { limit: g.settings.max_continuations, continuation: s.continuation, node_id: nr.node_id, node_run_id: nr.id, connector_id: cid }, retryable: false,
        });
        return;
      }
      succeedRun(tx, value, { input: value });
      return;
    }
    const policy = g.joins.get(e.target);
    if (!policy || policy.policy === 'any') queueActivation(tx, e.target, [token]);
    else joinTokens.push({ target: e.target, connector: cid, token });
  }
  for (const jt of joinTokens) tx.emit({ kind: 'token.enqueued', node_id: jt.target, connector_id: jt.connector, token: jt.token, at: tx.now });
}

/** Decisions of the engine. Each returns the events to persist in one commit (already folded into `s`). */
export const decide = {
  /**
   * Starts a queued run: queues the start node run whose output is the run input. `continuation` is the run's place
   * in its continue-as-new chain (0 for a first run).
   */
  start(g: CompiledGraph, s: EngineState, input: unknown, newId: IdFactory, now: string, continuation = 0) {
    const tx = begin(g, s, newId, now);
    tx.emit({ kind: 'run.started', input, ...(continuation > 0 ? { continuation } : {}), at: now });
    queueActivation(tx, g.startId, [{ connector_id: null, source_node_id: null, source_node_run_id: null, output: input, seq: tx.s.seq, order: 0 }]);
    return tx.events;
  },

  /**
   * Starts queued node runs in FIFO order while fewer than max_parallel_nodes run (guardrail and required-context
   * checks included). Returns the events and the ids of node runs that started.
   */
  dispatch(g: CompiledGraph, s: EngineState, newId: IdFactory, now: string) {
    const tx = begin(g, s, newId, now);
    const started: string[] = [];
    while (s.status === 'running' && s.queue.length > 0 && s.running.length < g.settings.max_parallel_nodes) {
      const nr = s.node_runs[s.queue[0]!]!;
      if (s.executions + 1 > g.settings.max_node_executions) {
        failRun(tx, {
          code: 'guardrail_max_node_executions', message: `the run reached max_node_executions (${g.settings.max_node_executions})`,
          details: { limit: g.settings.max_node_executions, node_id: nr.node_id, node_run_id: nr.id }, retryable: false,
        });
        break;
      }
      const context: Record<string, unknown> = {};
      let missing: string | null = null;
      for (const e of g.contextIn.get(nr.node_id) ?? []) {
        const src = latestDone(s, e.source);
        if (src) context[e.source] = src.output;
        else if (e.required) missing = missing ?? e.source;
      }
      tx.emit({ kind: 'node.started', node_id: nr.node_id, node_run_id: nr.id, context, at: now });
      if (missing !== null) {
        const error: ErrorInfo = { code: 'context_missing', message: `required context source ${missing} has no succeeded or skipped node run`, details: { node_id: nr.node_id, node_run_id: nr.id, source: missing }, retryable: false };
        tx.emit({ kind: 'node.failed', node_id: nr.node_id, node_run_id: nr.id, error, at: now });
        failRun(tx, { ...error, details: { ...error.details } });
        break;
      }
      const n = nr.attempts.filter((a) => a.error?.code !== 'interrupted').length + 1;
      tx.emit({ kind: 'node.attempt_started', node_id: nr.node_id, node_run_id: nr.id, n, at: now });
      started.push(nr.id);
    }
    return { events: tx.events, started };
  },

  attemptStarted(g: CompiledGraph, s: EngineState, nodeRunId: string, n: number, now: string) {
    const tx = begin(g, s, () => '', now);
    const nr = s.node_runs[nodeRunId];
    if (nr?.status === 'running') tx.emit({ kind: 'node.attempt_started', node_id: nr.node_id, node_run_id: nodeRunId, n, at: now });
    return tx.events;
  },

  attemptFailed(g: CompiledGraph, s: EngineState, nodeRunId: string, n: number, error: ErrorInfo, now: string) {
    const tx = begin(g, s, () => '', now);
    const nr = s.node_runs[nodeRunId];
    if (nr?.status === 'running') tx.emit({ kind: 'node.attempt_failed', node_id: nr.node_id, node_run_id: nodeRunId, n, error, at: now });
    return tx.events;
  },

  /** A running node run succeeded. Ignored (no events) when the node run is no longer running. */
  succeeded(g: CompiledGraph, s: EngineState, nodeRunId: string, r: NodeSuccess, newId: IdFactory, now: string) {
    const tx = begin(g, s, newId, now);
    const nr = s.node_runs[nodeRunId];
    if (!nr || nr.status !== 'running') return tx.events;
    const fallback = r.fallback_used ?? false;
    tx.emit({
      kind: 'node.succeeded', node_id: nr.node_id, node_run_id: nodeRunId, output: r.output, routing: r.routing,
      outcome: fallback ? 'success_with_warning' : 'success', fallback_used: fallback, degraded_reason: r.degraded_reason ?? null,
      warnings: r.warnings ?? [], usage: r.usage ?? null, at: now,
    });
    if (s.status === 'running' || s.status === 'pausing') {
      route(tx, nr, tokenValue(g, nr), r.routing, r.terminate ?? false);
      settle(tx);
    }
    return tx.events;
  },

  /** A running node run failed for good (attempts exhausted, non-retryable, routing error): the run fails. */
  failed(g: CompiledGraph, s: EngineState, nodeRunId: string, error: ErrorInfo, now: string, warnings?: Warning[]) {
    const tx = begin(g, s, () => '', now);
    const nr = s.node_runs[nodeRunId];
    if (!nr || nr.status !== 'running') return tx.events;
    tx.emit({ kind: 'node.failed', node_id: nr.node_id, node_run_id: nodeRunId, error, ...(warnings?.length ? { warnings } : {}), at: now });
    if (s.status === 'running' || s.status === 'pausing') failRun(tx, { ...error, details: { ...error.details, node_id: nr.node_id, node_run_id: nodeRunId } });
    return tx.events;
  },

  /** A running node run was interrupted (pause now, lost attempt): back to queued. */
  requeue(g: CompiledGraph, s: EngineState, nodeRunId: string, reason: string, now: string) {
    const tx = begin(g, s, () => '', now);
    const nr = s.node_runs[nodeRunId];
    if (nr?.status === 'running') tx.emit({ kind: 'node.requeued', node_id: nr.node_id, node_run_id: nodeRunId, reason, at: now });
    if (s.status === 'pausing' && s.running.length === 0) setStatus(tx, 'paused');
    return tx.events;
  },

  /** Fails the run for a reason outside any node run (guardrail_max_runtime). */
  failRun(g: CompiledGraph, s: EngineState, error: ErrorInfo, now: string) {
    const tx = begin(g, s, () => '', now);
    if (s.status === 'running' || s.status === 'pausing') failRun(tx, error);
    return tx.events;
  },

  /** Re-checks joins and quiescence (after resume, recovery). */
  settle(g: CompiledGraph, s: EngineState, newId: IdFactory, now: string) {
    const tx = begin(g, s, newId, now);
    settle(tx);
    return tx.events;
  },
};

/** The value a node run's tokens carry: for a decision its pass-through `value`, else its output. */
export function tokenValue(g: CompiledGraph, nr: NodeRunState): unknown {
  const node = g.nodes.get(nr.node_id);
  if (node?.type === 'decision' && nr.output !== null && typeof nr.output === 'object' && 'value' in nr.output) return (nr.output as { value: unknown }).value;
  return nr.output;
}

/** The node's succeeded or skipped, non-superseded node run whose success was logged last. */
export function latestDone(s: EngineState, nodeId: string): NodeRunState | undefined {
  let best: NodeRunState | undefined;
  for (const id of s.order) {
    const nr = s.node_runs[id]!;
    if (nr.node_id !== nodeId || (nr.status !== 'succeeded' && nr.status !== 'skipped')) continue;
    if (!best || (nr.done_seq ?? 0) > (best.done_seq ?? 0)) best = nr;
  }
  return best;
}

/** `upstream` of a node run: `{ <source node id>: output }` of its consumed tokens. */
export function upstreamOf(nr: NodeRunState): Record<string, unknown> {
  const up: Record<string, unknown> = {};
  for (const t of [...nr.tokens].sort(tokenOrder)) if (t.source_node_id !== null) up[t.source_node_id] = t.output;
  return up;
}

/** The triggering output: the single token's output with one incoming trigger connector, else the upstream object. */
export function triggeringOutput(g: CompiledGraph, nr: NodeRunState): unknown {
  if (nr.node_id === g.startId) return nr.tokens[0]?.output ?? null;
  if ((g.triggerIn.get(nr.node_id)?.length ?? 0) >= 2) return upstreamOf(nr);
  return nr.tokens[0]?.output ?? null;
}

export { failRun as _failRunForControl, setStatus as _setStatus, settle as _settle, route as _route, succeedRun as _succeedRun, queueActivation as _queueActivation };
