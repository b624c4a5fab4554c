/**
 * Decisions about a `flowchart` node run's child run: what the parent's log records of it. The parent records each
 * fact once per node run — `subflow.child_started` once the child exists, `subflow.child_finished` once the node
 * run saw it end — so a node run executed again (takeover, requeue) that observes the same child adds nothing.
 */
import type { ChildRunEndStatus, ErrorInfo } from '@llmctl/contracts';
import { applyEvent } from './apply-event.ts';
import type { EngineEvent } from './events.ts';
import type { EngineState, NodeRunState } from './state.ts';

/** The child run a node run observed. */
export interface ChildObservation {
  child_run_id: string;
  flowchart_id: string;
}

/** Emits (folds into `s`, in place) and collects. */
function emit(s: EngineState, out: EngineEvent[], e: EngineEvent): void {
  applyEvent(s, e);
  out.push(e);
}

function runningNodeRun(s: EngineState, nodeRunId: string): NodeRunState | null {
  const nr = s.node_runs[nodeRunId];
  return nr && nr.status === 'running' ? nr : null;
}

function started(s: EngineState, nr: NodeRunState, c: ChildObservation, now: string, out: EngineEvent[]): void {
  if (nr.child_run?.id === c.child_run_id) return;
  emit(s, out, { kind: 'subflow.child_started', node_id: nr.node_id, node_run_id: nr.id, child_run_id: c.child_run_id, flowchart_id: c.flowchart_id, at: now });
}

/** Pure decisions (they fold the events they return into `s`, like `decide`). */
export const subflow = {
  /** The child of running node run `nodeRunId` exists: `subflow.child_started`, unless the log already holds it. */
  childStarted(s: EngineState, nodeRunId: string, c: ChildObservation, now: string): EngineEvent[] {
    const out: EngineEvent[] = [];
    const nr = runningNodeRun(s, nodeRunId);
    if (nr) started(s, nr, c, now, out);
    return out;
  },

  /**
   * The child of running node run `nodeRunId` ended: `subflow.child_finished` (preceded by `subflow.child_started`
   * when the log lacks it, e.g. a child started by a release that did not record it), unless the log already holds it.
   */
  childFinished(s: EngineState, nodeRunId: string, c: ChildObservation & { status: ChildRunEndStatus; error: ErrorInfo | null }, now: string): EngineEvent[] {
    const out: EngineEvent[] = [];
    const nr = runningNodeRun(s, nodeRunId);
    if (!nr) return out;
    started(s, nr, c, now, out);
    if (nr.child_run && nr.child_run.status !== 'started') return out;
    emit(s, out, {
      kind: 'subflow.child_finished', node_id: nr.node_id, node_run_id: nr.id, child_run_id: c.child_run_id, flowchart_id: c.flowchart_id,
      status: c.status, error: c.error, at: now,
    });
    return out;
  },
};
