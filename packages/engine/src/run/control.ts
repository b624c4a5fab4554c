import type { ControlAction, ErrorInfo, RoutingRecord, RunStatus } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import type { CompiledGraph } from '../graph.ts';
import { _failRunForControl, _route, _setStatus, _settle, tokenValue } from './decide.ts';
import { keyFor } from './fan-in.ts';
import type { EngineState, Token } from './state.ts';
import type { IdFactory } from './tx.ts';
import { Tx } from './tx.ts';

/** Run statuses each control action is legal from (runtime.md "State machines" and "Run control"). */
export const CONTROL_FROM: Record<ControlAction, readonly RunStatus[]> = {
  pause: ['queued', 'running'],
  resume: ['paused'],
  cancel: ['queued', 'running', 'pausing', 'paused', 'canceling'],
  retry: ['failed', 'paused'],
  skip: ['running', 'paused', 'failed'],
  rewind: ['paused', 'failed', 'succeeded', 'canceled'],
};

/** Throws `invalid_transition` (409, details carry the current status) when the action is not legal now. */
export function assertControlAllowed(s: EngineState, action: ControlAction): void {
  if (!CONTROL_FROM[action].includes(s.status)) {
    throw new LlmctlError('invalid_transition', `cannot ${action} a run that is ${s.status}`, { status: s.status, action, allowed_from: CONTROL_FROM[action] });
  }
}

export interface ControlMeta {
  actor: string;
  reason: string | null;
  params: Record<string, unknown>;
}

function begin(g: CompiledGraph, s: EngineState, newId: IdFactory, now: string, action: ControlAction, meta: ControlMeta): Tx {
  const tx = new Tx(g, s, newId, now);
  tx.emit({ kind: 'run.control', action, actor: meta.actor, reason: meta.reason, params: meta.params, at: now });
  return tx;
}

function nodeRunOr409(s: EngineState, id: string | undefined) {
  const nr = id ? s.node_runs[id] : undefined;
  if (!nr) throw new LlmctlError('not_found', `node run ${id ?? '(none)'} is not part of this run`, { node_run_id: id ?? null });
  return nr;
}

/** Control decisions. Each validates, then returns the events of one commit (already folded into `s`). */
export const control = {
  pause(g: CompiledGraph, s: EngineState, mode: 'now' | 'graceful', meta: ControlMeta, newId: IdFactory, now: string) {
    assertControlAllowed(s, 'pause');
    const tx = begin(g, s, newId, now, 'pause', meta);
    if (s.status === 'queued' || s.running.length === 0) _setStatus(tx, 'paused');
    else if (mode === 'now') {
      _setStatus(tx, 'pausing');
      for (const id of [...s.running]) tx.emit({ kind: 'node.requeued', node_id: s.node_runs[id]!.node_id, node_run_id: id, reason: 'paused', at: now });
      _setStatus(tx, 'paused');
    } else _setStatus(tx, 'pausing');
    return tx.events;
  },

  resume(g: CompiledGraph, s: EngineState, meta: ControlMeta, newId: IdFactory, now: string) {
    assertControlAllowed(s, 'resume');
    const tx = begin(g, s, newId, now, 'resume', meta);
    // A run paused before it started goes back to queued; the orchestrator then starts it (RunActor.recover).
    _setStatus(tx, s.started_at ? 'running' : 'queued');
    if (s.status === 'running') _settle(tx);
    return tx.events;
  },

  cancel(g: CompiledGraph, s: EngineState, meta: ControlMeta, newId: IdFactory, now: string) {
    assertControlAllowed(s, 'cancel');
    const tx = begin(g, s, newId, now, 'cancel', meta);
    _setStatus(tx, 'canceling');
    for (const id of [...s.running, ...s.queue]) tx.emit({ kind: 'node.canceled', node_id: s.node_runs[id]!.node_id, node_run_id: id, reason: 'run_canceled', at: now });
    _setStatus(tx, 'canceled', { error: { code: 'canceled', message: meta.reason ?? 'canceled', details: { actor: meta.actor }, retryable: false } });
    return tx.events;
  },

  retry(g: CompiledGraph, s: EngineState, nodeRunId: string | undefined, meta: ControlMeta, newId: IdFactory, now: string) {
    assertControlAllowed(s, 'retry');
    const nr = nodeRunOr409(s, nodeRunId);
    if (nr.status !== 'failed') throw new LlmctlError('conflict', `node run ${nr.id} is ${nr.status}, only a failed node run can be retried`, { node_run_id: nr.id, status: nr.status });
    const existing = Object.values(s.node_runs).find((x) => x.retry_of === nr.id);
    if (existing) throw new LlmctlError('conflict', `node run ${nr.id} was already retried as ${existing.id}`, { node_run_id: nr.id, retry_node_run_id: existing.id });
    const tx = begin(g, s, newId, now, 'retry', meta);
    tx.emit({
      kind: 'node.queued', node_id: nr.node_id, at: now,
      node_run: { id: newId(), node_id: nr.node_id, node_type: nr.node_type, iteration: nr.iteration, tokens: nr.tokens, retry_of: nr.id, rewound_from: null, idempotency_key: nr.idempotency_key },
    });
    _setStatus(tx, 'running');
    _settle(tx);
    return tx.events;
  },

  /** `routing` must be computed by the runtime with `output` as the node's output (conditions are async). */
  skip(g: CompiledGraph, s: EngineState, nodeRunId: string | undefined, output: unknown, routing: RoutingRecord | ErrorInfo, meta: ControlMeta, newId: IdFactory, now: string) {
    assertControlAllowed(s, 'skip');
    const nr = nodeRunOr409(s, nodeRunId);
    if (nr.status !== 'failed' && nr.status !== 'queued') throw new LlmctlError('conflict', `node run ${nr.id} is ${nr.status}; only failed or queued node runs can be skipped`, { node_run_id: nr.id, status: nr.status });
    if ('code' in routing) {
      throw new LlmctlError('conflict', `skipping ${nr.id} with that output cannot route: ${routing.message}`, { node_run_id: nr.id, error: routing });
    }
    const tx = begin(g, s, newId, now, 'skip', meta);
    tx.emit({ kind: 'node.skipped', node_id: nr.node_id, node_run_id: nr.id, output, routing, at: now });
    if (s.status !== 'running') _setStatus(tx, 'running');
    _route(tx, nr, output, routing, false);
    _settle(tx);
    return tx.events;
  },

  /**
   * Rewinds to the checkpoint of `nodeRunId`. `before` is the state folded from the log up to (excluding) the
   * event that started that node run; the runtime reads it from the log.
   */
  rewind(g: CompiledGraph, s: EngineState, before: EngineState, nodeRunId: string | undefined, inputOverride: unknown, meta: ControlMeta, newId: IdFactory, now: string) {
    assertControlAllowed(s, 'rewind');
    const chosen = nodeRunOr409(s, nodeRunId);
    if (chosen.started_seq === null) throw new LlmctlError('conflict', `node run ${chosen.id} never started, so it has no checkpoint`, { node_run_id: chosen.id });
    if (chosen.status === 'superseded') throw new LlmctlError('conflict', `node run ${chosen.id} is superseded`, { node_run_id: chosen.id });
    const tx = begin(g, s, newId, now, 'rewind', meta);
    // Activations to run again: the chosen node run's, and those queued or running at the checkpoint.
    const again = before.order.map((id) => before.node_runs[id]!).filter((x) => x.status === 'queued' || x.status === 'running');
    const keep = new Set(before.order.filter((id) => !again.some((a) => a.id === id)));
    const superseded = s.order.filter((id) => !keep.has(id) && s.node_runs[id]!.status !== 'superseded');
    const hasOverride = inputOverride !== undefined;
    tx.emit({
      kind: 'run.rewound', node_run_id: chosen.id, checkpoint_seq: chosen.started_seq, superseded,
      joins: structuredClone(before.joins), iterations: { ...before.iterations },
      ...(hasOverride && chosen.node_id === g.startId ? { input: inputOverride } : {}), at: now,
    });
    for (const x of again) {
      const tokens: Token[] = x.id === chosen.id && hasOverride ? x.tokens.map((t) => ({ ...t, output: inputOverride })) : x.tokens;
      tx.emit({
        kind: 'node.queued', node_id: x.node_id, at: now,
        node_run: { id: newId(), node_id: x.node_id, node_type: x.node_type, iteration: x.iteration, tokens, retry_of: null, rewound_from: x.id, idempotency_key: keyFor(tx, x.node_id, x.iteration) },
      });
    }
    _setStatus(tx, 'running');
    _settle(tx);
    return { events: tx.events, superseded };
  },

  /** Marks the run failed from outside (used by control paths that must stop a run). */
  fail(g: CompiledGraph, s: EngineState, error: ErrorInfo, newId: IdFactory, now: string) {
    const tx = new Tx(g, s, newId, now);
    _failRunForControl(tx, error);
    return tx.events;
  },
};

export { tokenValue };
