/**
 * How a `flowchart` node run's `child_run` follows from the parent's log: one fold step per `subflow.child_started` /
 * `subflow.child_finished` event. The engine's fold (`applyEvent`) and the store's REST read of node runs
 * (`RunRepository`, which reads only these events of a run with flowchart nodes) both use it, so the API, the studio
 * and the CLI show the same object.
 */
import type { ChildRunRef } from '@llmctl/contracts';
import type { EngineEvent } from './events.ts';

/** The two events about a node run's child run. */
export type SubflowEvent = Extract<EngineEvent, { kind: 'subflow.child_started' | 'subflow.child_finished' }>;

/** The kinds of {@link SubflowEvent} (a read filters the log on them). */
export const SUBFLOW_EVENT_KINDS: readonly SubflowEvent['kind'][] = ['subflow.child_started', 'subflow.child_finished'];

/** A node run's child run after event `e` (`prev`: before it; returned as is when `e` adds nothing). */
export function childRunAfter(prev: ChildRunRef | undefined, e: SubflowEvent): ChildRunRef {
  if (e.kind === 'subflow.child_started') {
    // A re-executed node run re-observes the child it started; the first record keeps its start time.
    if (prev?.id === e.child_run_id) return prev;
    return { id: e.child_run_id, flowchart_id: e.flowchart_id, status: 'started', error: null, started_at: e.at, finished_at: null };
  }
  return {
    id: e.child_run_id, flowchart_id: e.flowchart_id, started_at: prev?.id === e.child_run_id ? prev.started_at : e.at,
    status: e.status, error: e.error, finished_at: e.at,
  };
}

/** The child runs a log's subflow events (in sequence order) record, by node run id. */
export function childRunsOf(events: readonly SubflowEvent[]): Map<string, ChildRunRef> {
  const out = new Map<string, ChildRunRef>();
  for (const e of events) out.set(e.node_run_id, childRunAfter(out.get(e.node_run_id), e));
  return out;
}
