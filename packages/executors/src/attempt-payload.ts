import type { ErrorInfo, Warning } from '@llmctl/contracts';
import type { CompiledGraph, LlmChoice, NodeRunState, TemplateScope } from '@llmctl/engine';
import type { NodeExecution, NodeResult } from '@llmctl/runtime';

/**
 * What an executor needs to run one attempt somewhere else: the run facts, the node run (with its consumed tokens
 * and context snapshot), the template scope and the triggering output. The graph is rebuilt from the flowchart
 * version; credentials are read by the executor from the database (queue) or travel in the payload (Kubernetes).
 */
export interface AttemptPayload {
  v: 1;
  dispatch_id: string;
  run: NodeExecution['run'];
  node_id: string;
  node_run: NodeRunState;
  scope: TemplateScope;
  triggering: unknown;
  attempt: number;
}

/** A successful attempt as an executor reports it (the node handler's result plus the warnings it emitted). */
export interface AttemptResult {
  output: unknown;
  warnings: Warning[];
  fallback_used?: boolean;
  degraded_reason?: string | null;
  usage?: Record<string, unknown> | null;
  terminate?: boolean;
  choice?: LlmChoice;
}

/** The payload of attempt `x` for dispatch `dispatchId`. */
export function toPayload(dispatchId: string, x: NodeExecution): AttemptPayload {
  return {
    v: 1, dispatch_id: dispatchId, run: x.run, node_id: x.node.id, node_run: x.nodeRun, scope: x.scope,
    triggering: x.triggering, attempt: x.attempt,
  };
}

/** Rebuilds the node execution of a payload over `graph` (the executor's side). */
export function fromPayload(p: AttemptPayload, graph: CompiledGraph, signal: AbortSignal, warnings: Warning[]): NodeExecution {
  const node = graph.nodes.get(p.node_id);
  if (!node) throw Object.assign(new Error(`node ${p.node_id} is not in flowchart ${p.run.flowchart_id} v${p.run.flowchart_version}`), { code: 'payload_invalid' });
  return {
    run: p.run, graph, node, nodeRun: p.node_run, scope: p.scope, triggering: p.triggering, attempt: p.attempt, signal,
    emitToken: () => undefined,
    warn: (w) => warnings.push(w),
  };
}

/** The handler's result plus emitted warnings, as stored. */
export function toResult(r: NodeResult, warnings: Warning[]): AttemptResult {
  return {
    output: r.output ?? null, warnings: [...warnings, ...(r.warnings ?? [])],
    ...(r.fallback_used !== undefined ? { fallback_used: r.fallback_used } : {}),
    ...(r.degraded_reason !== undefined ? { degraded_reason: r.degraded_reason } : {}),
    ...(r.usage !== undefined ? { usage: r.usage } : {}),
    ...(r.terminate !== undefined ? { terminate: r.terminate } : {}),
    ...(r.choice !== undefined ? { choice: r.choice } : {}),
  };
}

/** Back to the runtime's shape (warnings are returned with the result, so the owner records them once). */
export function toNodeResult(r: AttemptResult): NodeResult {
  return { ...r, output: r.output };
}

/** An error as stored on a dispatch. */
export type DispatchError = ErrorInfo;
